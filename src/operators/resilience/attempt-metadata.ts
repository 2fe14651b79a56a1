/**
 * Attempt numbers and the `$metadata` retries add (`attempts`, `totalRetryDelay`), kept in one
 * place for every operator. `retryInvocation` is the one that numbers attempts: it stamps every
 * event of attempt n with `attempt: n` and the terminal event's `$metadata`; an operator outside
 * it (a `total` timeout) follows the `retry` events with an `AttemptTracker` to know which
 * attempt is current. The source's objects are never mutated: a stamped event is a copy, and
 * an event already carrying the right number is passed through as it is.
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

/** The terminal event of attempt `tally.attempts`, its `$metadata` (the error's or the output's) carrying the tally. */
export function stampTerminal<E extends AnyInvokeEvent>(e: E, tally: AttemptTally): E {
  const attempt = tally.attempts;
  if (e.type === 'error') {
    const event: InvokeErrorEvent = { ...e, attempt, error: errorWithTally(e.error, tally) };
    return event as E;
  }
  if (e.type === 'response' || e.type === 'accepted') {
    const output = e.output as { $metadata?: ResponseMetadata } | undefined;
    if (output !== null && typeof output === 'object') {
      return { ...e, attempt, output: { ...output, $metadata: { ...output.$metadata, ...tally } } };
    }
  }
  return stampAttempt(e, attempt);
}

/** The `retry` event that announces attempt `tally.attempts + 1`, its error carrying the tally so far. */
export function retryEvent(error: SageMakerRuntimeError, delayMs: number, tally: AttemptTally, timestamp: number): InvokeRetryEvent {
  return { type: 'retry', attempt: tally.attempts, timestamp, delayMs, error: errorWithTally(error, tally) };
}

/**
 * Follows the events of an invocation from outside `retryInvocation`: the attempt in progress
 * (a `retry` event announces the next one, which starts when its wait ends) and the total wait.
 */
export class AttemptTracker {
  private attempt = 1;
  private nextAttemptAt = Number.POSITIVE_INFINITY;
  private waited = 0;

  /** Feeds one event seen at `now` (the operator's scheduler time). */
  observe(e: AnyInvokeEvent, now: number): void {
    this.attempt = e.attempt;
    if (e.type === 'retry') {
      this.nextAttemptAt = now + e.delayMs;
      this.waited += e.delayMs;
    } else {
      this.nextAttemptAt = Number.POSITIVE_INFINITY;
    }
  }

  /** The attempt in progress at `now`, and the waits so far. */
  tally(now: number): AttemptTally {
    return { attempts: now >= this.nextAttemptAt ? this.attempt + 1 : this.attempt, totalRetryDelay: this.waited };
  }
}
