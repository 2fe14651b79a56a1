/**
 * Builders for lifecycle events and errors, for marble tests of code that consumes
 * `invokeEndpoint$` (your own operators, services, components).
 */
import type {
  InvokeAcceptedEvent,
  InvokeChunkEvent,
  InvokeHeadersEvent,
  InvokeErrorEvent,
  InvokeQueuedEvent,
  InvokeResponseEvent,
  InvokeRetryEvent,
  InvokeSentEvent,
} from '../events/invoke-event.js';
import type {
  InvokeEndpointAsyncOutput,
  InvokeEndpointOutput,
  InvokeEndpointWithResponseStreamHeaders,
  InvokeEndpointWithResponseStreamSummary,
} from '../model/shapes.js';
import { SageMakerRuntimeError } from '../errors/sagemaker-runtime-error.js';
import { MODELLED_SERVICE_ERRORS, ServiceError } from '../errors/service-errors.js';
import { errorEvent as buildErrorEvent } from '../events/guards.js';
import { MODELLED_ERRORS } from '../model/index.js';

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

/** The `response` event that ends a response stream: a summary of what arrived (the bytes came as `chunk` events). */
export function streamResponseEvent(
  summary: Partial<InvokeEndpointWithResponseStreamSummary> = {},
  attempt = 1,
  timestamp = 0,
): InvokeResponseEvent<InvokeEndpointWithResponseStreamSummary> {
  return {
    type: 'response',
    attempt,
    timestamp,
    durationMs: 0,
    output: { chunks: 0, bytes: 0, ...summary, $metadata: { httpStatusCode: 200, attempts: attempt, ...summary.$metadata } },
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

/** A `headers` event: a response stream started, with its output members. */
export function headersEvent(
  output: Partial<InvokeEndpointWithResponseStreamHeaders> = {},
  attempt = 1,
  timestamp = 0,
): InvokeHeadersEvent {
  return { type: 'headers', attempt, timestamp, output: { ContentType: 'application/jsonlines', ...output, $metadata: { httpStatusCode: 200, ...output.$metadata } } };
}

/** An `accepted` event: an async invocation was queued (202). */
export function acceptedEvent(output: Partial<InvokeEndpointAsyncOutput> = {}, attempt = 1, timestamp = 0): InvokeAcceptedEvent {
  return {
    type: 'accepted',
    attempt,
    timestamp,
    output: {
      InferenceId: 'test-inference-id',
      OutputLocation: 's3://sagemaker-emulator/output/test-inference-id.out',
      FailureLocation: 's3://sagemaker-emulator/failure/test-inference-id.out',
      ...output,
      $metadata: { httpStatusCode: 202, ...output.$metadata },
    },
  };
}

/** A `chunk` event of a response stream. */
export function chunkEvent(bytes: string | Uint8Array, index = 0, attempt = 1, timestamp = 0): InvokeChunkEvent {
  return { type: 'chunk', attempt, timestamp, index, bytes: typeof bytes === 'string' ? encoder.encode(bytes) : bytes };
}

/** The HTTP status each modelled service error travels with, and a few common AWS errors. */
export const SERVICE_ERROR_STATUS: Readonly<Record<string, number>> = {
  ...Object.fromEntries(Object.values(MODELLED_ERRORS).map((e) => [e.name, e.status ?? e.documentedStatus])),
  // Common errors of the AWS front end, not in the service model.
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
