import type {
  AnyInvokeEvent,
  InvokeAcceptedEvent,
  InvokeChunkEvent,
  InvokeErrorEvent,
  InvokeResponseEvent,
  InvokeTerminalEvent,
} from './invoke-event.js';
import type { SageMakerRuntimeError } from '../errors/sagemaker-runtime-error.js';

/** True for `response`, `error` and `accepted`: the event that ends an invocation. */
export function isTerminalEvent(e: AnyInvokeEvent): e is Extract<AnyInvokeEvent, InvokeTerminalEvent> {
  return e.type === 'response' || e.type === 'error' || e.type === 'accepted';
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
