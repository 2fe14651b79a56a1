import { asyncScheduler, Observable, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { AnyInvokeEvent, InvokeErrorEvent, InvokeEvent } from '../../events/invoke-event.js';
import { isTerminalEvent } from '../../events/guards.js';
import { TimeoutError } from '../../errors/client-errors.js';
import { AttemptTracker } from './attempt-metadata.js';

/** Options of `timeoutInvocation`. At least one of `each`, `total`, `idle` is required. */
export interface TimeoutInvocationConfig {
  /**
   * Longest time from the subscription of an attempt to its terminal event, in ms. Placed inside
   * `retryInvocation` it bounds every attempt; placed outside, the clock restarts after each
   * `retry` wait and expiry ends the whole call. @default none
   */
  each?: number;
  /** Longest time for the whole subscription, retry waits and queueing included, in ms. @default none */
  total?: number;
  /**
   * Longest gap between two events of an attempt, in ms — for a response stream, between chunks.
   * Starts at subscription; a `retry` event moves it to the end of the wait. @default none
   */
  idle?: number;
  /** Runs the deadlines and stamps the events. @default asyncScheduler */
  scheduler?: SchedulerLike;
}

type Phase = 'each' | 'total' | 'idle';

/**
 * Bounds an invocation in time. When a deadline expires before the terminal event, it
 * unsubscribes upstream (which aborts the HTTP request: the server sees it close), emits an
 * `error` event with a `TimeoutError` (`phase` `'each'`, `'idle'` or `'total'`, `ms`) for the
 * current attempt, and completes. `each` and `idle` timeouts are retryable, `total` is not: it is
 * the caller's own deadline.
 *
 * Place it inside `retryInvocation` to bound each attempt (a timed-out attempt is retried), and
 * outside to bound the whole call.
 *
 * @example
 * ```ts
 * import { retryInvocation, timeoutInvocation } from 'sagemaker-rx';
 * client.invokeEndpoint$(input).pipe(
 *   timeoutInvocation(5_000),              // each attempt: 5 s
 *   retryInvocation({ maxAttempts: 3 }),
 *   timeoutInvocation({ total: 20_000 }),  // the whole call: 20 s
 * );
 * // on a hung model: sent 1, retry 1 (TimeoutError each), sent 2, … or error (TimeoutError total)
 * ```
 */
export function timeoutInvocation<E extends AnyInvokeEvent = InvokeEvent>(ms: number): MonoTypeOperatorFunction<E>;
export function timeoutInvocation<E extends AnyInvokeEvent = InvokeEvent>(config: TimeoutInvocationConfig): MonoTypeOperatorFunction<E>;
export function timeoutInvocation<E extends AnyInvokeEvent = InvokeEvent>(arg: number | TimeoutInvocationConfig): MonoTypeOperatorFunction<E> {
  const config: TimeoutInvocationConfig = typeof arg === 'number' ? { each: arg } : arg;
  if (config === null || typeof config !== 'object') {
    throw new TypeError(`timeoutInvocation: expected a number of ms or a config object, got ${String(arg)}`);
  }
  const { each, total, idle, scheduler = asyncScheduler } = config;
  const deadlines: Array<[Phase, number | undefined]> = [
    ['each', each],
    ['total', total],
    ['idle', idle],
  ];
  for (const [name, value] of deadlines) {
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      throw new RangeError(`timeoutInvocation: ${name} must be a finite number > 0 ms, got ${String(value)}`);
    }
  }
  if (each === undefined && total === undefined && idle === undefined) {
    throw new TypeError('timeoutInvocation: give at least one of each, total, idle (ms)');
  }
  if (!scheduler || typeof scheduler.schedule !== 'function' || typeof scheduler.now !== 'function') {
    throw new TypeError('timeoutInvocation: scheduler must be a SchedulerLike');
  }

  return (source) =>
    new Observable<E>((subscriber) => {
      const attempts = new AttemptTracker();
      let done = false; // the terminal event has been emitted (by upstream or by a deadline)
      let expired = false;
      const timers: Record<Phase, Subscription | undefined> = { each: undefined, total: undefined, idle: undefined };
      let upstream: Subscription | undefined;

      const clear = (phase: Phase): void => {
        timers[phase]?.unsubscribe();
        timers[phase] = undefined;
      };
      const clearAll = (): void => {
        clear('each');
        clear('total');
        clear('idle');
      };
      const expire = (phase: Phase, limitMs: number): void => {
        if (done) return;
        done = true;
        expired = true;
        clearAll();
        upstream?.unsubscribe(); // aborts the request in flight
        const now = scheduler.now();
        const tally = attempts.tally(now);
        const error = new TimeoutError({ phase, ms: limitMs, $metadata: tally });
        const event: InvokeErrorEvent = { type: 'error', attempt: tally.attempts, timestamp: now, error };
        subscriber.next(event as E);
        subscriber.complete();
      };
      /** (Re)arms a deadline `limitMs` after `afterMs` from now. */
      const arm = (phase: Phase, limitMs: number | undefined, afterMs = 0): void => {
        if (limitMs === undefined) return;
        clear(phase);
        timers[phase] = scheduler.schedule(() => expire(phase, limitMs), afterMs + limitMs);
      };

      arm('total', total);
      arm('each', each);
      arm('idle', idle);
      upstream = source.subscribe({
        next: (e) => {
          if (done) return;
          attempts.observe(e, scheduler.now());
          if (isTerminalEvent(e)) {
            done = true;
            clearAll();
          } else if (e.type === 'retry') {
            // the next attempt starts after the wait: its clocks start then
            arm('each', each, e.delayMs);
            arm('idle', idle, e.delayMs);
          } else {
            arm('idle', idle);
          }
          subscriber.next(e);
        },
        error: (err: unknown) => {
          clearAll();
          subscriber.error(err);
        },
        complete: () => {
          clearAll();
          subscriber.complete();
        },
      });
      if (expired) upstream.unsubscribe(); // only with a synchronous scheduler
      return () => {
        clearAll();
        upstream?.unsubscribe();
      };
    });
}
