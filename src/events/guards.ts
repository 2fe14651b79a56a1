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

export function isResponseEvent<E extends AnyInvokeEvent>(e: E): e is Extract<E, InvokeResponseEvent<unknown>> {
  return e.type === 'response';
}

export function isErrorEvent(e: AnyInvokeEvent): e is InvokeErrorEvent {
  return e.type === 'error';
}

export function isChunkEvent(e: AnyInvokeEvent): e is InvokeChunkEvent {
  return e.type === 'chunk';
}

export function isAcceptedEvent(e: AnyInvokeEvent): e is InvokeAcceptedEvent {
  return e.type === 'accepted';
}

/** Builds an `error` event: the one way failures are reported. */
export function errorEvent(error: SageMakerRuntimeError, attempt: number, timestamp: number): InvokeErrorEvent {
  return { type: 'error', attempt, timestamp, error };
}
