/**
 * The messages published on the diagnostics channels. Every message of one attempt carries the
 * same `invocation` object, so a subscriber can key its own state on it (a `WeakMap`). Nothing
 * secret is in any of them: the request's `authorization` and `x-amz-security-token` headers are
 * redacted, and error messages were scrubbed of the signature before they got here.
 */
import type { SentRequest } from '../events/invoke-event.js';
import type { OperationName } from '../model/operations.js';
import type { Logger } from './logger.js';

/** The facts of a failure, without the error object (which may hold a response body). */
export interface DiagnosticsError {
  /** The error's `name`: the AWS code (`ServiceUnavailable`, `ThrottlingException`, …) or ours (`NetworkError`, …). */
  readonly name: string;
  readonly message: string;
  readonly fault: 'client' | 'server';
  readonly retryable: boolean;
  readonly throttling: boolean;
  readonly statusCode?: number;
  readonly requestId?: string;
}

/**
 * One call as `retryInvocation` sees it: the attempts it makes share this object.
 * `invocation.call` is undefined for an attempt made without `retryInvocation`.
 */
export interface DiagnosticsCall {
  /** Unique in this process. */
  readonly id: number;
  /** The 1-based number of the attempt being made (set before each attempt is subscribed). */
  attempt: number;
  /** The operation of its attempts, once one was sent. */
  operation?: OperationName;
  /** The endpoint of its attempts, once one was sent. */
  endpointName?: string;
  /** The client's logger, once an attempt of a client that has one was sent. @internal */
  logger?: Logger;
}

/** One attempt on the wire: the identity every message of the attempt shares. */
export interface DiagnosticsInvocation {
  /** Unique in this process. */
  readonly id: number;
  /** The call this attempt belongs to, when made through `retryInvocation`. */
  readonly call: DiagnosticsCall | undefined;
  readonly operation: OperationName;
  readonly endpointName: string;
  /** The region the request was signed for. */
  readonly region: string | undefined;
  /** The endpoint's host name. */
  readonly serverAddress: string;
  /** The endpoint's port (443 for https when the URL names none). */
  readonly serverPort: number;
  /** 1-based attempt number, as on the events. */
  readonly attempt: number;
  readonly targetVariant?: string;
  readonly targetModel?: string;
  readonly inferenceComponentName?: string;
  /** What was sent, redacted: method, URL, headers, body size. */
  readonly request: SentRequest;
  /** When the attempt was subscribed, in epoch ms (sub-millisecond precision). */
  readonly startTime: number;
}

/** `sagemaker-rx:attempt:start`: the signed request was handed to the transport. */
export interface AttemptStartMessage {
  readonly invocation: DiagnosticsInvocation;
}

/** `sagemaker-rx:attempt:headers`: the response status and headers arrived. */
export interface AttemptHeadersMessage {
  readonly invocation: DiagnosticsInvocation;
  readonly statusCode: number;
  readonly requestId?: string;
  /** Epoch ms. */
  readonly time: number;
}

/** `sagemaker-rx:attempt:first-chunk`: a response stream's first `PayloadPart` arrived. */
export interface AttemptFirstChunkMessage {
  readonly invocation: DiagnosticsInvocation;
  /** Its size in bytes. */
  readonly bytes: number;
  /** From the attempt's subscription to this chunk, in ms. */
  readonly timeToFirstChunkMs: number;
  /** Epoch ms. */
  readonly time: number;
}

/** How an attempt or a call ended. */
export type DiagnosticsOutcome = 'response' | 'accepted' | 'error' | 'cancelled';

/** `sagemaker-rx:attempt:end`: the attempt ended; exactly one per `attempt:start`. */
export interface AttemptEndMessage {
  readonly invocation: DiagnosticsInvocation;
  /** `cancelled`: the subscriber unsubscribed (a timeout, a `take`, a shutdown) before the end. */
  readonly outcome: DiagnosticsOutcome;
  readonly statusCode?: number;
  readonly requestId?: string;
  /** From the attempt's subscription to its end, in ms. */
  readonly durationMs: number;
  /** `PayloadPart`s received (response streams; 0 otherwise). */
  readonly chunks: number;
  /** The variant that answered, when the response said. */
  readonly invokedProductionVariant?: string;
  /** When `outcome` is `error`. */
  readonly error?: DiagnosticsError;
  /** Epoch ms. */
  readonly time: number;
}

/** `sagemaker-rx:retry:scheduled`: a failed attempt will be followed by another after `delayMs`. */
export interface RetryScheduledMessage {
  readonly call: DiagnosticsCall;
  /** The failed attempt (1-based); the next is `attempt + 1`. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: DiagnosticsError;
}

/** `sagemaker-rx:call:end`: a call made through `retryInvocation` ended. */
export interface CallEndMessage {
  readonly call: DiagnosticsCall;
  /** Attempts made, the last included. */
  readonly attempts: number;
  readonly outcome: DiagnosticsOutcome;
  readonly error?: DiagnosticsError;
}

/** What a limiter's messages expose of it: its live state. */
export interface DiagnosticsLimiter {
  state(): {
    readonly inFlight: number;
    readonly queued: number;
    readonly ratePerSecond: number | undefined;
    readonly maxConcurrency: number | undefined;
  };
}

/** `sagemaker-rx:limiter:queued`: an invocation waits for a permit. */
export interface LimiterQueuedMessage {
  readonly limiter: DiagnosticsLimiter;
  /** Invocations ahead of it. */
  readonly position: number;
}

/** `sagemaker-rx:limiter:granted`: a permit was granted. */
export interface LimiterGrantedMessage {
  readonly limiter: DiagnosticsLimiter;
  /** How long it waited, in ms (0: granted at once). */
  readonly waitedMs: number;
}

/** `sagemaker-rx:batch:sent`: `batchInvocations` sends `size` items as one invocation. */
export interface BatchSentMessage {
  readonly endpointName: string;
  /** The batch id, as in its results' `batch.id`. */
  readonly batchId: number;
  /** Items in the batch. */
  readonly size: number;
  /** Bytes of the request body. */
  readonly bytes: number;
}

/** The message type of each channel, by its key in `DIAGNOSTICS_CHANNELS`. */
export interface DiagnosticsMessages {
  attemptStart: AttemptStartMessage;
  attemptHeaders: AttemptHeadersMessage;
  attemptFirstChunk: AttemptFirstChunkMessage;
  attemptEnd: AttemptEndMessage;
  retryScheduled: RetryScheduledMessage;
  callEnd: CallEndMessage;
  limiterQueued: LimiterQueuedMessage;
  limiterGranted: LimiterGrantedMessage;
  batchSent: BatchSentMessage;
}
