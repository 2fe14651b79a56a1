import type {
  AnyInvokeEvent,
  InvokeAcceptedEvent,
  InvokeChunkEvent,
  InvokeErrorEvent,
  InvokeHeadersEvent,
  InvokeQueuedEvent,
  InvokeResponseEvent,
  InvokeRetryEvent,
  InvokeSentEvent,
  InvokeTerminalEvent,
} from './invoke-event.js';
import type { SageMakerRuntimeError } from '../errors/sagemaker-runtime-error.js';

/** True for `response`, `error` and `accepted`: the event that ends an invocation. */
export function isTerminalEvent(e: AnyInvokeEvent): e is Extract<AnyInvokeEvent, InvokeTerminalEvent> {
  return e.type === 'response' || e.type === 'error' || e.type === 'accepted';
}

/** True for a `sent` event: a signed attempt was handed to the transport. */
export function isSentEvent(e: AnyInvokeEvent): e is InvokeSentEvent {
  return e.type === 'sent';
}

/** True for a `retry` event: `retryInvocation` will resubscribe after `delayMs`. */
export function isRetryEvent(e: AnyInvokeEvent): e is InvokeRetryEvent {
  return e.type === 'retry';
}

/** True for a `queued` event: the call waits for a limiter permit. */
export function isQueuedEvent(e: AnyInvokeEvent): e is InvokeQueuedEvent {
  return e.type === 'queued';
}

/** True for a `headers` event: a response stream started, with its output members. */
export function isHeadersEvent(e: AnyInvokeEvent): e is InvokeHeadersEvent {
  return e.type === 'headers';
}

/** True for a `response` event: the output of a successful attempt. */
export function isResponseEvent<E extends AnyInvokeEvent>(e: E): e is Extract<E, InvokeResponseEvent<unknown>> {
  return e.type === 'response';
}

/** True for an `error` event: the attempt failed with a `SageMakerRuntimeError`. */
export function isErrorEvent(e: AnyInvokeEvent): e is InvokeErrorEvent {
  return e.type === 'error';
}

/** True for a `chunk` event: one `PayloadPart` of a response stream. */
export function isChunkEvent(e: AnyInvokeEvent): e is InvokeChunkEvent {
  return e.type === 'chunk';
}

/** True for an `accepted` event: an async invocation was queued (202). */
export function isAcceptedEvent(e: AnyInvokeEvent): e is InvokeAcceptedEvent {
  return e.type === 'accepted';
}

/** Builds an `error` event: the one way failures are reported. */
export function errorEvent(error: SageMakerRuntimeError, attempt: number, timestamp: number): InvokeErrorEvent {
  return { type: 'error', attempt, timestamp, error };
}
