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

/**
 * The server answered with a redirect (any 3xx). The client never follows one: the signed
 * request, its session token included, must not reach another host, and another host's page is
 * not an answer. `location` is the `Location` header when the runtime shows it. Not retried.
 */
export class RedirectError extends SageMakerRuntimeError {
  override name = 'RedirectError' as const;
  /** Where the server pointed, when the runtime exposes it (a browser's fetch does not). */
  readonly location?: string;
  constructor(init: { message: string; location?: string; $metadata?: ResponseMetadata }) {
    super({ name: 'RedirectError', message: init.message, $metadata: init.$metadata, $fault: 'server', retryable: false, throttling: false });
    if (init.location !== undefined) this.location = init.location;
  }
}

/** What a size cap bounded: a whole response body, or one event-stream frame. */
export type SizeLimitSubject = 'body' | 'frame';

/**
 * A response was larger than the client accepts: a body over `maxResponseBytes`, or an
 * event-stream frame over the frame cap. Reading stops at the limit and the connection is
 * released, so a hostile or broken server cannot fill memory. Not retried.
 */
export class ResponseTooLargeError extends SageMakerRuntimeError {
  override name = 'ResponseTooLargeError' as const;
  /** Which cap: `body` (`maxResponseBytes`) or `frame` (one event-stream message). */
  readonly subject: SizeLimitSubject;
  /** The cap, in bytes. */
  readonly limit: number;
  /** The size announced or reached when reading stopped, in bytes. */
  readonly size?: number;
  constructor(init: { subject: SizeLimitSubject; limit: number; size?: number; message?: string; $metadata?: ResponseMetadata; cause?: unknown }) {
    super({
      name: 'ResponseTooLargeError',
      message: init.message ?? `response ${init.subject} larger than ${init.limit} bytes${init.size === undefined ? '' : ` (${init.size} bytes)`}`,
      $metadata: init.$metadata,
      cause: init.cause,
      $fault: 'server',
      retryable: false,
      throttling: false,
    });
    this.subject = init.subject;
    this.limit = init.limit;
    if (init.size !== undefined) this.size = init.size;
  }
}

/** The client was destroyed (`client.destroy()`): nothing is sent any more. Final: not retried. */
export class ClientDestroyedError extends SageMakerRuntimeError {
  override name = 'ClientDestroyedError' as const;
  constructor(init: { message?: string } = {}) {
    super({ name: 'ClientDestroyedError', message: init.message ?? 'the client was destroyed; create a new one to send requests', $fault: 'client', retryable: false, throttling: false });
  }
}

export const isInvalidRequestError = nameGuard<InvalidRequestError>('InvalidRequestError');
export const isNetworkError = nameGuard<NetworkError>('NetworkError');
export const isTimeoutError = nameGuard<TimeoutError>('TimeoutError');
export const isCredentialsError = nameGuard<CredentialsError>('CredentialsError');
export const isRedirectError = nameGuard<RedirectError>('RedirectError');
export const isResponseTooLargeError = nameGuard<ResponseTooLargeError>('ResponseTooLargeError');
export const isClientDestroyedError = nameGuard<ClientDestroyedError>('ClientDestroyedError');
