/**
 * Attempt numbers and the `$metadata` retries add (`attempts`, `totalRetryDelay`), kept in one
 * place for every operator. `retryInvocation` is the one that numbers attempts: it stamps every
 * event of attempt n with `attempt: n` and the terminal event's `$metadata`; an operator outside
 * it (a `total` timeout) follows the `retry` events with an `AttemptTrack` to know which
 * attempt is current. The source's objects are never mutated: a stamped event is a copy, and
 * an event already carrying the right number (and, if terminal, the right tally) is passed
 * through as it is.
 */
import type { AnyInvokeEvent, InvokeErrorEvent, InvokeRetryEvent } from '../../events/invoke-event.js';
import type { ResponseMetadata, SageMakerRuntimeError } from '../../errors/sagemaker-runtime-error.js';

/** What retries write into a terminal event's `$metadata`. */
export type AttemptTally = Required<Pick<ResponseMetadata, 'attempts' | 'totalRetryDelay'>>;

/** The event with `attempt` set; the same object when it already carries that number. */
export function stampAttempt<E extends AnyInvokeEvent>(e: E, attempt: number): E {
  return e.attempt === attempt ? e : { ...e, attempt };
}

/** A copy of the error, with its own prototype and fields, whose `$metadata` carries the tally. */
export function errorWithTally<T extends SageMakerRuntimeError>(error: T, tally: AttemptTally): T {
  const copy = Object.create(Object.getPrototypeOf(error) as object, Object.getOwnPropertyDescriptors(error)) as T;
  copy.$metadata = { ...error.$metadata, ...tally };
  return copy;
}

/**
 * The terminal event of attempt `attempts`, its `$metadata` (the error's or the output's)
 * carrying `attempts` and `totalRetryDelay`. The same object when it already says so: the
 * client's own terminal event of a first attempt (`attempts: 1, totalRetryDelay: 0`) goes
 * through untouched, with no allocation.
 */
export function stampTerminal<E extends AnyInvokeEvent>(e: E, attempts: number, totalRetryDelay: number): E {
  if (e.type === 'error') {
    if (e.attempt === attempts && carriesTally(e.error.$metadata as ResponseMetadata | undefined, attempts, totalRetryDelay)) return e;
    const event: InvokeErrorEvent = { ...e, attempt: attempts, error: errorWithTally(e.error, { attempts, totalRetryDelay }) };
    return event as E;
  }
  if (e.type === 'response' || e.type === 'accepted') {
    const output = e.output as { $metadata?: ResponseMetadata } | undefined;
    if (output !== null && typeof output === 'object') {
      if (e.attempt === attempts && carriesTally(output.$metadata, attempts, totalRetryDelay)) return e;
      return { ...e, attempt: attempts, output: { ...output, $metadata: { ...output.$metadata, attempts, totalRetryDelay } } };
    }
  }
  return stampAttempt(e, attempts);
}

function carriesTally(metadata: ResponseMetadata | undefined, attempts: number, totalRetryDelay: number): boolean {
  return metadata !== undefined && metadata !== null && metadata.attempts === attempts && metadata.totalRetryDelay === totalRetryDelay;
}

/** The `retry` event that announces attempt `tally.attempts + 1`, its error carrying the tally so far. */
export function retryEvent(error: SageMakerRuntimeError, delayMs: number, tally: AttemptTally, timestamp: number): InvokeRetryEvent {
  return { type: 'retry', attempt: tally.attempts, timestamp, delayMs, error: errorWithTally(error, tally) };
}

/**
 * What an operator outside `retryInvocation` keeps to follow the attempts of an invocation: the
 * attempt in progress (a `retry` event announces the next one, which starts when its wait ends)
 * and the total wait. Plain fields, so an operator can hold them itself (no object per call).
 */
export interface AttemptTrack {
  /** The attempt number of the last event seen. Start at 1. */
  attempt: number;
  /** When the announced next attempt starts (scheduler time); +Infinity when none is announced. */
  nextAttemptAt: number;
  /** The retry waits announced so far, in ms. */
  waited: number;
}

/** Feeds one event seen at `now` (the operator's scheduler time) to `track`. */
export function observeAttempt(track: AttemptTrack, e: AnyInvokeEvent, now: number): void {
  track.attempt = e.attempt;
  if (e.type === 'retry') {
    track.nextAttemptAt = now + e.delayMs;
    track.waited += e.delayMs;
  } else {
    track.nextAttemptAt = Number.POSITIVE_INFINITY;
  }
}

/** The attempt in progress at `now`, and the waits so far. */
export function trackedTally(track: AttemptTrack, now: number): AttemptTally {
  return { attempts: now >= track.nextAttemptAt ? track.attempt + 1 : track.attempt, totalRetryDelay: track.waited };
}
