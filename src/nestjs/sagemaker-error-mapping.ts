/**
 * How a `SageMakerRuntimeError` becomes an HTTP answer of a Nest application that called a model on
 * a user's behalf. The table is the mapping; `SageMakerExceptionFilter` applies it.
 */
import type { SageMakerRuntimeError } from '../index.js';

/** The HTTP answer for an error: status, headers to set, JSON body. */
export interface SageMakerHttpError {
  status: number;
  headers: Record<string, string>;
  body: {
    statusCode: number;
    /** The error's `name`: the AWS code (`ModelError`, `ThrottlingException`) or ours (`TimeoutError`). */
    error: string;
    message: string;
    /** The SageMaker request id (`x-amzn-RequestId`) of the failed call, for support cases and logs. */
    requestId?: string;
    /** For a `ModelError`: the status the model container answered with. */
    originalStatusCode?: number;
  };
}

/** The status for errors by `name`, checked before the flags; the rest falls back on `throttling` and `$fault`. */
export const SAGEMAKER_HTTP_STATUS_BY_NAME: Readonly<Record<string, number>> = {
  // The request (built from the caller's input) was refused as malformed: the caller can fix it.
  ValidationError: 400,
  InvalidRequestError: 400,
  // The model ran and failed on this input: a failed dependency, not our server's bug.
  ModelError: 424,
  ModelStreamError: 502,
  // Not ready yet, or the service is down for a moment: try again later.
  ModelNotReadyException: 503,
  ServiceUnavailable: 503,
  // Our call to the model timed out.
  TimeoutError: 504,
};

/** When the service sent no hint, the seconds a throttled caller is told to wait. */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

/** Status of an error whose name is not in the table. */
function statusByFlags(error: SageMakerRuntimeError): number {
  if (error.throttling) return 429;
  // A server fault upstream, a network failure, or a client fault upstream that is not the
  // caller's (expired credentials, access denied): our gateway to the model failed.
  return 502;
}

/**
 * Maps a `SageMakerRuntimeError` to an HTTP answer: throttling → 429 with `Retry-After` (from the
 * service's hint, else 1 s); `ValidationError`/`InvalidRequestError` → 400; `ModelError` → 424 with
 * the model's status; not ready/unavailable → 503 (with `Retry-After`); `TimeoutError` → 504; any
 * other failure upstream → 502. The body carries the error's name, message and request id.
 *
 * @example
 * ```ts
 * import { mapSageMakerError } from 'sagemaker-rx/nestjs';
 * mapSageMakerError(new ModelError({ message: 'boom', $metadata: { requestId: 'r-1' } })).status; // 424
 * ```
 */
export function mapSageMakerError(error: SageMakerRuntimeError): SageMakerHttpError {
  const status = error.throttling ? 429 : (SAGEMAKER_HTTP_STATUS_BY_NAME[error.name] ?? statusByFlags(error));
  const headers: Record<string, string> = {};
  if (status === 429 || status === 503) {
    const seconds = error.retryAfterMs !== undefined ? Math.max(1, Math.ceil(error.retryAfterMs / 1000)) : DEFAULT_RETRY_AFTER_SECONDS;
    headers['Retry-After'] = String(seconds);
  }
  const requestId = error.$metadata.requestId;
  if (requestId !== undefined) headers['x-amzn-RequestId'] = requestId;
  const original = (error as { OriginalStatusCode?: unknown }).OriginalStatusCode;
  return {
    status,
    headers,
    body: {
      statusCode: status,
      error: error.name,
      message: error.message,
      ...(requestId !== undefined ? { requestId } : {}),
      ...(typeof original === 'number' ? { originalStatusCode: original } : {}),
    },
  };
}

