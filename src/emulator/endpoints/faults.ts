/**
 * Fault injection: which fault a request draws (from `failWhen`, else the endpoint's seeded
 * RNG), and the error each fault is answered with (the service's wording).
 */
import type { OperationName } from '../../model/index.js';
import { MESSAGES, PRIMARY_CONTAINER } from '../constants.js';
import type { FaultConfig, FaultName, ModelRequest } from '../types.js';
import { isModelledOn } from '../wire/error-catalogue.js';
import type { EmulatorErrorAnswer } from '../wire/error-response.js';
import type { Random } from './prng.js';

/** Longest `Message` the service sends. */
const MAX_MESSAGE_CHARS = 2048;

/** The random faults in the order they are drawn, with the rate that drives each. */
const RANDOM_FAULTS: ReadonlyArray<{ fault: FaultName; rate: keyof FaultConfig }> = [
  { fault: 'reset', rate: 'resetRate' },
  { fault: 'throttle', rate: 'throttleRate' },
  { fault: 'serverError', rate: 'serverErrorRate' },
  { fault: 'modelError', rate: 'modelErrorRate' },
];

/** The fault for this request: `failWhen`'s choice, else one draw per configured rate, in a fixed order. */
export function drawFault(faults: FaultConfig | undefined, random: Random, req: ModelRequest): FaultName | undefined {
  if (!faults) return undefined;
  const chosen = faults.failWhen?.(req);
  if (chosen !== undefined) return chosen;
  for (const { fault, rate } of RANDOM_FAULTS) {
    const p = faults[rate] as number | undefined;
    if (p !== undefined && p > 0 && random() < p) return fault;
  }
  return undefined;
}

/** The delay before the model runs: `latencyMs` plus a uniform 0..`jitterMs`. */
export function drawLatency(faults: FaultConfig | undefined, random: Random): number {
  if (!faults) return 0;
  const jitter = faults.jitterMs && faults.jitterMs > 0 ? random() * faults.jitterMs : 0;
  return Math.max(0, (faults.latencyMs ?? 0) + jitter);
}

/**
 * The throttling answer: 429 `ModelNotReadyException`, or 400 `ThrottlingException` with the
 * live service's `{"message":null}`. An operation whose model does not list
 * `ModelNotReadyException` (all but `InvokeEndpoint`) is throttled with `ThrottlingException`.
 */
export function throttleAnswer(as: 'ModelNotReadyException' | 'ThrottlingException' = 'ThrottlingException', operation: OperationName = 'InvokeEndpoint'): EmulatorErrorAnswer {
  return as === 'ModelNotReadyException' && isModelledOn('ModelNotReadyException', operation)
    ? { name: 'ModelNotReadyException', message: `Model ${PRIMARY_CONTAINER} is not ready to serve requests. Retry the request later.` }
    : { name: 'ThrottlingException', message: null };
}

/** 500 `InternalFailure` or 503 `ServiceUnavailable`. */
export function serverErrorAnswer(status: 500 | 503 = 500): EmulatorErrorAnswer {
  return status === 503
    ? { name: 'ServiceUnavailable', message: MESSAGES.serviceUnavailable }
    : { name: 'InternalFailure', message: MESSAGES.internalFailure };
}

/**
 * 530 `InternalDependencyException` where the model lists it (`InvokeEndpoint`); elsewhere the
 * same failure is a 500 `InternalFailure`.
 */
export function dependencyErrorAnswer(operation: OperationName = 'InvokeEndpoint'): EmulatorErrorAnswer {
  return isModelledOn('InternalDependencyException', operation)
    ? { name: 'InternalDependencyException', message: MESSAGES.dependencyFailure }
    : { name: 'InternalFailure', message: MESSAGES.internalFailure };
}

/** Where a ModelError points: the endpoint, region and account of the emulator, and the container. */
export interface ModelErrorContext {
  endpointName: string;
  region: string;
  accountId: string;
  /** The container in the message. @default 'primary' */
  container?: string;
}

/** The 424 `ModelError` for a container status and body, worded as SageMaker words it. */
export function modelErrorAnswer(ctx: ModelErrorContext, originalStatus: number, originalMessage: string): EmulatorErrorAnswer {
  const kind = originalStatus >= 500 || originalStatus < 100 ? 'server' : 'client';
  const logGroup = `/aws/sagemaker/Endpoints/${ctx.endpointName}`;
  const message =
    `Received ${kind} error (${originalStatus}) from ${ctx.container ?? PRIMARY_CONTAINER} with message "${originalMessage}". ` +
    `See https://${ctx.region}.console.aws.amazon.com/cloudwatch/home?region=${ctx.region}#logEventViewer:group=${logGroup} ` +
    `in account ${ctx.accountId} for more information.`;
  return {
    name: 'ModelError',
    message: message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS - 3)}...` : message,
    extra: {
      ErrorCode: kind === 'server' ? 'SERVER_ERROR_FROM_MODEL' : 'CLIENT_ERROR_FROM_MODEL',
      LogStreamArn: `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${logGroup}`,
      OriginalMessage: originalMessage,
      OriginalStatusCode: originalStatus,
    },
  };
}

/** The 424 `ModelError` when the container does not answer in time: `OriginalStatusCode` 0, as the service reports it. */
export function modelTimeoutAnswer(ctx: ModelErrorContext): EmulatorErrorAnswer {
  return modelErrorAnswer(ctx, 0, MESSAGES.modelTimeout(ctx.container ?? PRIMARY_CONTAINER));
}

/** The container body of an injected model error. */
export function injectedModelErrorBody(status: number): string {
  return JSON.stringify({ error: `injected model error (${status})` });
}

/** The exception frame payload of a mid-stream `ModelStreamError` or `InternalStreamFailure`. */
export function streamExceptionPayload(
  fault: 'ModelStreamError' | 'InternalStreamFailure',
  errorCode: 'ModelInvocationTimeExceeded' | 'StreamBroken' = 'ModelInvocationTimeExceeded',
): Record<string, unknown> {
  if (fault === 'InternalStreamFailure') return { Message: MESSAGES.internalStreamFailure };
  return { Message: errorCode === 'StreamBroken' ? MESSAGES.modelStreamBroken : MESSAGES.modelStreamTimeout, ErrorCode: errorCode };
}
