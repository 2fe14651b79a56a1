/**
 * The lifecycle events of an invocation. Every invocation ends with exactly one
 * terminal event (`response`, `error`, or `accepted` for the async operation) and completes.
 */
import type { SageMakerRuntimeError } from '../errors/sagemaker-runtime-error.js';
import type {
  InvokeEndpointAsyncOutput,
  InvokeEndpointOutput,
  InvokeEndpointWithResponseStreamHeaders,
  InvokeEndpointWithResponseStreamSummary,
} from '../model/shapes.js';

interface EventBase {
  /** 1-based attempt number this event belongs to. */
  attempt: number;
  /** Epoch ms, from the scheduler in use. */
  timestamp: number;
}

/** What went on the wire, with `authorization` and `x-amz-security-token` redacted. */
export interface SentRequest {
  method: string;
  url: string;
  headers: Readonly<Record<string, string>>;
  /** Body size in bytes. */
  bodySize: number;
}

/** The signed request was handed to the transport. */
export interface InvokeSentEvent extends EventBase {
  type: 'sent';
  request: SentRequest;
}

/** A 2xx arrived and its body was read. Terminal. */
export interface InvokeResponseEvent<O = InvokeEndpointOutput> extends EventBase {
  type: 'response';
  output: O;
  /** From subscription of this attempt to the end of the body, in ms. */
  durationMs: number;
}

/** The attempt failed for a reason the user must handle. Terminal. */
export interface InvokeErrorEvent extends EventBase {
  type: 'error';
  error: SageMakerRuntimeError;
}

/** `retryInvocation` will try again after `delayMs`, because of `error`. `attempt` is the failed one. */
export interface InvokeRetryEvent extends EventBase {
  type: 'retry';
  delayMs: number;
  error: SageMakerRuntimeError;
}

/** `throttleInvocations` is waiting for a limiter permit. */
export interface InvokeQueuedEvent extends EventBase {
  type: 'queued';
  /** Invocations ahead in the queue when this one joined it. */
  position: number;
}

/** The response stream started: its output members. */
export interface InvokeHeadersEvent extends EventBase {
  type: 'headers';
  output: InvokeEndpointWithResponseStreamHeaders;
}

/** One `PayloadPart` of a response stream, as it arrived. */
export interface InvokeChunkEvent extends EventBase {
  type: 'chunk';
  bytes: Uint8Array;
  /** 0-based index of this part in the stream. */
  index: number;
}

/** The async invocation was accepted (202). Terminal. */
export interface InvokeAcceptedEvent extends EventBase {
  type: 'accepted';
  output: InvokeEndpointAsyncOutput;
}

/** Events operators add to any invocation. */
export type InvokeOperatorEvent = InvokeRetryEvent | InvokeQueuedEvent;

/** The events of `invokeEndpoint$`. Narrow on `type`. */
export type InvokeEvent<O = InvokeEndpointOutput> =
  | InvokeSentEvent
  | InvokeResponseEvent<O>
  | InvokeErrorEvent
  | InvokeOperatorEvent;

/** The events of `invokeEndpointWithResponseStream$`. */
export type InvokeStreamEvent =
  | InvokeEvent<InvokeEndpointWithResponseStreamSummary>
  | InvokeHeadersEvent
  | InvokeChunkEvent;

/** The events of `invokeEndpointAsync$`. */
export type InvokeAsyncEvent = InvokeSentEvent | InvokeAcceptedEvent | InvokeErrorEvent | InvokeOperatorEvent;

/** Any event of any operation: what operators accept. */
export type AnyInvokeEvent = InvokeEvent<unknown> | InvokeHeadersEvent | InvokeChunkEvent | InvokeAcceptedEvent;

/** The terminal events: exactly one per invocation. */
export type InvokeTerminalEvent = InvokeResponseEvent<unknown> | InvokeErrorEvent | InvokeAcceptedEvent;
