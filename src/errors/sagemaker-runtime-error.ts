import type { ResponseMetadata } from '../model/shapes.js';
import { classifyError } from './classification.js';

export type { ResponseMetadata };


export interface SageMakerRuntimeErrorInit {
  name: string;
  message: string;
  $fault?: 'client' | 'server';
  $metadata?: ResponseMetadata;
  /** Overrides the classification table; leave unset to classify by `name`, status, `code` and `message`. */
  retryable?: boolean;
  throttling?: boolean;
  /** A server hint (`Retry-After`, `x-amz-retry-after`) in ms from when the response arrived. */
  retryAfterMs?: number;
  /** A system error code (`ECONNRESET`, …), used for classification and kept for the user. */
  code?: string;
  /** The phase of a timeout, used for classification. */
  timeoutPhase?: string;
  cause?: unknown;
}

/**
 * The base of every error this library reports. `name` is the AWS error code for service
 * errors and `<Cause>Error` for client-side ones; `retryable` and `throttling` come from the
 * classification table (`classifyError`) and are what every operator decides by.
 */
export class SageMakerRuntimeError extends Error {
  override name: string;
  /** Who is at fault: `client` (fix the request) or `server` (the service or the model). */
  readonly $fault: 'client' | 'server';
  /** HTTP status, request id and attempts of the call that failed. */
  $metadata: ResponseMetadata;
  /** Whether trying again may succeed. */
  readonly retryable: boolean;
  /** Whether the service asked the caller to slow down. */
  readonly throttling: boolean;
  /** The server's retry hint in ms, when it sent one. */
  readonly retryAfterMs?: number;
  /** The system error code for network errors (`ECONNRESET`, `ECONNREFUSED`, …). */
  readonly code?: string;

  constructor(init: SageMakerRuntimeErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = init.name;
    this.$metadata = { ...init.$metadata };
    const status = this.$metadata.httpStatusCode;
    this.$fault = init.$fault ?? (status !== undefined && status >= 500 ? 'server' : 'client');
    const classified = classifyError({ name: init.name, httpStatusCode: status, code: init.code, message: init.message, timeoutPhase: init.timeoutPhase });
    this.retryable = init.retryable ?? classified.retryable;
    this.throttling = init.throttling ?? classified.throttling;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.code !== undefined) this.code = init.code;
  }
}

/** True for any error of this library, even when two copies of it are loaded. */
export function isSageMakerRuntimeError(e: unknown): e is SageMakerRuntimeError {
  return (
    e instanceof SageMakerRuntimeError ||
    (e instanceof Error && typeof (e as SageMakerRuntimeError).retryable === 'boolean' && '$fault' in e)
  );
}
