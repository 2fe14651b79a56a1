/**
 * Builders for lifecycle events and errors, for marble tests of code that consumes
 * `invokeEndpoint$` (your own operators, services, components).
 */
import type {
  InvokeChunkEvent,
  InvokeErrorEvent,
  InvokeQueuedEvent,
  InvokeResponseEvent,
  InvokeRetryEvent,
  InvokeSentEvent,
} from '../events/invoke-event.js';
import type { InvokeEndpointOutput } from '../protocol/shapes.js';
import { SageMakerRuntimeError } from '../errors/sagemaker-runtime-error.js';
import { MODELLED_SERVICE_ERRORS, ServiceError } from '../errors/service-errors.js';
import { errorEvent as buildErrorEvent } from '../events/guards.js';
import { MODELLED_ERROR_STATUS } from '../protocol/parse-error.js';

const encoder = new TextEncoder();

/** A `sent` event for attempt `attempt` (default 1). */
export function sentEvent(attempt = 1, timestamp = 0, url = 'http://127.0.0.1/endpoints/test/invocations'): InvokeSentEvent {
  return { type: 'sent', attempt, timestamp, request: { method: 'POST', url, headers: {}, bodySize: 0 } };
}

/** A `response` event whose output body is `body` (a string is UTF-8 encoded). */
export function responseEvent(
  body: string | Uint8Array = '{}',
  attempt = 1,
  timestamp = 0,
  extra: Partial<InvokeEndpointOutput> = {},
): InvokeResponseEvent {
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  return {
    type: 'response',
    attempt,
    timestamp,
    durationMs: 0,
    output: { Body: bytes, ContentType: 'application/json', ...extra, $metadata: { httpStatusCode: 200, attempts: attempt, ...extra.$metadata } },
  };
}

/** An `error` event carrying `error`. */
export function errorEvent(error: SageMakerRuntimeError, attempt = 1, timestamp = 0): InvokeErrorEvent {
  return buildErrorEvent(error, attempt, timestamp);
}

/** A `retry` event: `attempt` failed with `error`, the next one starts after `delayMs`. */
export function retryEvent(error: SageMakerRuntimeError, delayMs: number, attempt = 1, timestamp = 0): InvokeRetryEvent {
  return { type: 'retry', attempt, timestamp, delayMs, error };
}

/** A `queued` event. */
export function queuedEvent(position = 0, attempt = 1, timestamp = 0): InvokeQueuedEvent {
  return { type: 'queued', attempt, timestamp, position };
}

/** A `chunk` event of a response stream. */
export function chunkEvent(bytes: string | Uint8Array, index = 0, attempt = 1, timestamp = 0): InvokeChunkEvent {
  return { type: 'chunk', attempt, timestamp, index, bytes: typeof bytes === 'string' ? encoder.encode(bytes) : bytes };
}

/** The HTTP status each modelled service error travels with (reference §2.1), and a few common AWS errors. */
export const SERVICE_ERROR_STATUS: Readonly<Record<string, number>> = {
  ...Object.fromEntries(MODELLED_ERROR_STATUS.map((e) => [e.name, e.status])),
  // Stream errors (no status in the model: the API Reference's) and common AWS errors.
  ModelStreamError: 400,
  InternalStreamFailure: 500,
  ThrottlingException: 400,
  AccessDeniedException: 403,
  ExpiredTokenException: 403,
};

/**
 * A service error as the client would report it: the modelled class for a modelled name, else a
 * `ServiceError` with that name. `retryable`/`throttling` come from the classification table.
 */
export function serviceError(name: string, message = `${name} (test)`, httpStatusCode = SERVICE_ERROR_STATUS[name] ?? 400): SageMakerRuntimeError {
  const init = { message, Message: message, $metadata: { httpStatusCode, requestId: 'test-request-id' } };
  const Modelled = (MODELLED_SERVICE_ERRORS as Record<string, new (i: typeof init) => SageMakerRuntimeError>)[name];
  return Modelled ? new Modelled(init) : new ServiceError(name, init);
}
