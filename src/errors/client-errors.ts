import { nameGuard } from './name-guard.js';
import { SageMakerRuntimeError, type ResponseMetadata } from './sagemaker-runtime-error.js';

/** Bad input, found before any I/O: names the member and the rule it broke. Never retried. */
export class InvalidRequestError extends SageMakerRuntimeError {
  override name = 'InvalidRequestError' as const;
  /** The input member at fault (`EndpointName`, `Body`, `SessionId`, …), or the config option. */
  readonly member: string;
  /** The rule it broke, in words (`at most 63 characters`, `matches ^[a-zA-Z0-9](-*[a-zA-Z0-9])*$`). */
  readonly rule: string;
  constructor(init: { member: string; rule: string; message?: string; cause?: unknown }) {
    super({
      name: 'InvalidRequestError',
      message: init.message ?? `${init.member}: ${init.rule}`,
      $fault: 'client',
      cause: init.cause,
    });
    this.member = init.member;
    this.rule = init.rule;
  }
}

/** The connection failed: reset, refused, DNS, closed. Keeps the system `code`. Transient. */
export class NetworkError extends SageMakerRuntimeError {
  override name = 'NetworkError' as const;
  constructor(init: { message: string; code?: string; cause?: unknown; $metadata?: ResponseMetadata }) {
    super({ name: 'NetworkError', message: init.message, code: init.code, cause: init.cause, $metadata: init.$metadata, $fault: 'server' });
  }
}

/** Which deadline expired. */
export type TimeoutPhase = 'connect' | 'headers' | 'body' | 'idle' | 'each' | 'total';

/**
 * A deadline expired: `connect`, `headers`, `body` (the transport's), `idle` (between stream
 * chunks), `each` (one attempt, `timeoutInvocation`) or `total` (the whole call). Retryable
 * except for `total`, which is the caller's own limit.
 */
export class TimeoutError extends SageMakerRuntimeError {
  override name = 'TimeoutError' as const;
  readonly phase: TimeoutPhase;
  /** The deadline that expired, in ms. */
  readonly ms?: number;
  constructor(init: { phase: TimeoutPhase; ms?: number; message?: string; code?: string; cause?: unknown; $metadata?: ResponseMetadata }) {
    super({
      name: 'TimeoutError',
      message: init.message ?? `${init.phase} timeout${init.ms === undefined ? '' : ` after ${init.ms} ms`}`,
      code: init.code,
      cause: init.cause,
      $metadata: init.$metadata,
      $fault: 'server',
      timeoutPhase: init.phase,
    });
    this.phase = init.phase;
    if (init.ms !== undefined) this.ms = init.ms;
  }
}

/** Credentials could not be resolved: the provider threw, or returned no key. Not retried. */
export class CredentialsError extends SageMakerRuntimeError {
  override name = 'CredentialsError' as const;
  constructor(init: { message: string; cause?: unknown }) {
    super({ name: 'CredentialsError', message: init.message, cause: init.cause, $fault: 'client' });
  }
}


export const isInvalidRequestError = nameGuard<InvalidRequestError>('InvalidRequestError');
export const isNetworkError = nameGuard<NetworkError>('NetworkError');
export const isTimeoutError = nameGuard<TimeoutError>('TimeoutError');
export const isCredentialsError = nameGuard<CredentialsError>('CredentialsError');
