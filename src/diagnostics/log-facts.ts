/**
 * How each diagnostics fact reads in a log: a level, a one-line message, and flat structured
 * fields (`event` names the fact). Built from the same messages the channels carry, so the log
 * holds nothing a channel subscriber would not see, and no secret.
 */
import type { LogLevel } from './logger.js';
import type {
  AttemptEndMessage,
  AttemptFirstChunkMessage,
  AttemptHeadersMessage,
  AttemptStartMessage,
  DiagnosticsError,
  DiagnosticsInvocation,
  RetryScheduledMessage,
} from './messages.js';

/** One log line: the level, the structured fields and the message. */
export interface LogFact {
  readonly level: LogLevel;
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

function base(invocation: DiagnosticsInvocation, event: string): Record<string, unknown> {
  return {
    event,
    operation: invocation.operation,
    endpointName: invocation.endpointName,
    attempt: invocation.attempt,
    ...(invocation.call ? { callId: invocation.call.id } : {}),
  };
}

function label(invocation: DiagnosticsInvocation): string {
  return `${invocation.operation} ${invocation.endpointName} attempt ${invocation.attempt}`;
}

function errorFields(error: DiagnosticsError): Record<string, unknown> {
  return {
    errorName: error.name,
    errorMessage: error.message,
    fault: error.fault,
    retryable: error.retryable,
    throttling: error.throttling,
  };
}

export function attemptStartFact({ invocation }: AttemptStartMessage): LogFact {
  const { request } = invocation;
  return {
    level: 'debug',
    fields: {
      ...base(invocation, 'sagemaker-rx.attempt.start'),
      region: invocation.region,
      method: request.method,
      url: request.url,
      bodySize: request.bodySize,
      headers: request.headers,
      ...(invocation.targetVariant !== undefined ? { targetVariant: invocation.targetVariant } : {}),
      ...(invocation.targetModel !== undefined ? { targetModel: invocation.targetModel } : {}),
    },
    message: `${label(invocation)}: sent ${request.method} ${request.url} (${request.bodySize} bytes)`,
  };
}

export function attemptHeadersFact({ invocation, statusCode, requestId }: AttemptHeadersMessage): LogFact {
  return {
    level: 'debug',
    fields: { ...base(invocation, 'sagemaker-rx.attempt.headers'), statusCode, ...(requestId !== undefined ? { requestId } : {}) },
    message: `${label(invocation)}: status ${statusCode}${requestId !== undefined ? ` (request id ${requestId})` : ''}`,
  };
}

export function attemptFirstChunkFact({ invocation, bytes, timeToFirstChunkMs }: AttemptFirstChunkMessage): LogFact {
  const ms = Math.round(timeToFirstChunkMs);
  return {
    level: 'debug',
    fields: { ...base(invocation, 'sagemaker-rx.attempt.first-chunk'), bytes, timeToFirstChunkMs },
    message: `${label(invocation)}: first chunk (${bytes} bytes) after ${ms} ms`,
  };
}

export function attemptEndFact(m: AttemptEndMessage): LogFact {
  const { invocation, outcome, statusCode, requestId, durationMs, chunks, error } = m;
  const fields: Record<string, unknown> = {
    ...base(invocation, 'sagemaker-rx.attempt.end'),
    outcome,
    durationMs,
    ...(statusCode !== undefined ? { statusCode } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
    ...(chunks > 0 ? { chunks } : {}),
    ...(m.invokedProductionVariant !== undefined ? { invokedProductionVariant: m.invokedProductionVariant } : {}),
    ...(error ? errorFields(error) : {}),
  };
  const ms = Math.round(durationMs);
  if (error) {
    const how = error.throttling ? 'throttled' : error.retryable ? 'retryable' : 'not retryable';
    return {
      level: 'warn',
      fields,
      message: `${label(invocation)}: ${error.name}${statusCode !== undefined ? ` (${statusCode}, ${how})` : ` (${how})`} after ${ms} ms: ${error.message}`,
    };
  }
  if (outcome === 'cancelled') return { level: 'debug', fields, message: `${label(invocation)}: cancelled after ${ms} ms` };
  return { level: 'debug', fields, message: `${label(invocation)}: ${outcome} ${statusCode ?? ''} in ${ms} ms`.replace('  ', ' ') };
}

export function retryScheduledFact({ call, attempt, delayMs, error }: RetryScheduledMessage): LogFact {
  const what = `${call.operation ?? 'invocation'}${call.endpointName !== undefined ? ` ${call.endpointName}` : ''}`;
  return {
    level: 'info',
    fields: {
      event: 'sagemaker-rx.retry.scheduled',
      ...(call.operation !== undefined ? { operation: call.operation } : {}),
      ...(call.endpointName !== undefined ? { endpointName: call.endpointName } : {}),
      callId: call.id,
      attempt,
      delayMs,
      ...errorFields(error),
    },
    message: `${what}: attempt ${attempt} failed with ${error.name}; attempt ${attempt + 1} in ${Math.round(delayMs)} ms`,
  };
}
