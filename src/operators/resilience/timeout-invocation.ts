import { asyncScheduler, Observable, type MonoTypeOperatorFunction, type SchedulerAction, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import type { AnyInvokeEvent, InvokeErrorEvent, InvokeEvent } from '../../events/invoke-event.js';
import { isTerminalEvent } from '../../events/guards.js';
import { TimeoutError } from '../../errors/client-errors.js';
import { observeAttempt, trackedTally, type AttemptTrack } from './attempt-metadata.js';
import { deadlineQueueFor, type DeadlineQueue, type QueuedDeadline } from './deadline-queue.js';

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
  checkDeadline('each', each);
  checkDeadline('total', total);
  checkDeadline('idle', idle);
  if (each === undefined && total === undefined && idle === undefined) {
    throw new TypeError('timeoutInvocation: give at least one of each, total, idle (ms)');
  }
  if (!scheduler || typeof scheduler.schedule !== 'function' || typeof scheduler.now !== 'function') {
    throw new TypeError('timeoutInvocation: scheduler must be a SchedulerLike');
  }

  const policy: TimeoutPolicy = { each, total, idle, scheduler };
  return (source) =>
    new Observable<E>((subscriber) => {
      const run = new TimeoutRun<E>(subscriber, policy);
      if (total !== undefined) run.arm('total', 0);
      if (each !== undefined) run.arm('each', 0);
      if (idle !== undefined) run.arm('idle', 0);
      const upstream = source.subscribe(run);
      if (run.expired) upstream.unsubscribe(); // only with a synchronous scheduler
      else run.upstream = upstream;
      return run;
    });
}

function checkDeadline(name: Phase, value: unknown): void {
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new RangeError(`timeoutInvocation: ${name} must be a finite number > 0 ms, got ${String(value)}`);
  }
}

/** The checked options of one `timeoutInvocation(…)`, shared by every subscription. */
interface TimeoutPolicy {
  readonly each: number | undefined;
  readonly total: number | undefined;
  readonly idle: number | undefined;
  readonly scheduler: SchedulerLike;
}

/** The scheduled work of a deadline set on its own: no closure per arming, the deadline is the action's state. */
function expireAlone(this: SchedulerAction<PhaseDeadline>, deadline?: PhaseDeadline): void {
  deadline!.action = undefined;
  deadline!.expire();
}

/**
 * One deadline of a run (`each`, `total` or `idle`), made once and re-set in place. Set `ms` from
 * now on `asyncScheduler` (the default), it waits in the shared `DeadlineQueue` of that length
 * (no timer of its own); otherwise (a retry wait first, another scheduler) it has its own action.
 */
class PhaseDeadline implements QueuedDeadline {
  at = 0;
  prev: QueuedDeadline | undefined = undefined;
  next: QueuedDeadline | undefined = undefined;
  queue: DeadlineQueue | undefined = undefined;
  action: Subscription | undefined = undefined;

  constructor(
    private readonly run: TimeoutRun<AnyInvokeEvent>,
    readonly phase: Phase,
    private readonly limitMs: number,
  ) {}

  set(scheduler: SchedulerLike, afterMs: number): void {
    this.clear();
    if (afterMs === 0 && scheduler === asyncScheduler) deadlineQueueFor(scheduler, this.limitMs).add(this);
    else this.action = scheduler.schedule(expireAlone, afterMs + this.limitMs, this);
  }

  clear(): void {
    if (this.queue !== undefined) this.queue.remove(this);
    else if (this.action !== undefined) {
      this.action.unsubscribe();
      this.action = undefined;
    }
  }

  expire(): void {
    this.run.expire(this.phase);
  }
}

/**
 * One subscription to `timeoutInvocation`: the observer of the upstream (a plain object with
 * methods, which RxJS wraps in its usual subscriber), its deadlines in fields, and the
 * subscription's teardown. It follows the attempts as an `AttemptTrack` to number a timeout's
 * `error` event.
 */
class TimeoutRun<E extends AnyInvokeEvent> implements AttemptTrack {
  attempt = 1;
  nextAttemptAt = Number.POSITIVE_INFINITY;
  waited = 0;
  /** A deadline expired (then `done` too). */
  expired = false;
  upstream: Subscription | undefined = undefined;
  /** The terminal event has been emitted (by upstream or by a deadline). */
  private done = false;
  private each: PhaseDeadline | undefined = undefined;
  private total: PhaseDeadline | undefined = undefined;
  private idle: PhaseDeadline | undefined = undefined;

  constructor(
    private readonly out: Subscriber<E>,
    private readonly policy: TimeoutPolicy,
  ) {}

  /** (Re)arms the deadline of `phase` its limit after `afterMs` from now. */
  arm(phase: Phase, afterMs: number): void {
    const limitMs = this.policy[phase];
    if (limitMs === undefined) return;
    let deadline = this[phase];
    if (deadline === undefined) {
      deadline = new PhaseDeadline(this as TimeoutRun<AnyInvokeEvent>, phase, limitMs);
      this[phase] = deadline;
    }
    deadline.set(this.policy.scheduler, afterMs);
  }

  private clearAll(): void {
    this.each?.clear();
    this.total?.clear();
    this.idle?.clear();
  }

  /** The deadline of `phase` passed before the terminal event: abort upstream, emit the timeout, complete. */
  expire(phase: Phase): void {
    if (this.done) return;
    this.done = true;
    this.expired = true;
    this.clearAll();
    this.upstream?.unsubscribe(); // aborts the request in flight
    const now = this.policy.scheduler.now();
    const tally = trackedTally(this, now);
    const error = new TimeoutError({ phase, ms: this.policy[phase], $metadata: tally });
    const event: InvokeErrorEvent = { type: 'error', attempt: tally.attempts, timestamp: now, error };
    this.out.next(event as E);
    this.out.complete();
  }

  next(e: E): void {
    if (this.done) return;
    if (e.type === 'retry') {
      observeAttempt(this, e, this.policy.scheduler.now());
      // the next attempt starts after the wait: its clocks start then
      this.arm('each', e.delayMs);
      this.arm('idle', e.delayMs);
    } else {
      this.attempt = e.attempt;
      this.nextAttemptAt = Number.POSITIVE_INFINITY;
      if (isTerminalEvent(e)) {
        this.done = true;
        this.clearAll();
      } else if (this.policy.idle !== undefined) {
        this.arm('idle', 0);
      }
    }
    this.out.next(e);
  }

  error(err: unknown): void {
    this.clearAll();
    this.out.error(err);
  }

  complete(): void {
    this.clearAll();
    this.out.complete();
  }

  /** The teardown: the deadlines go, then the upstream subscription (aborting a request in flight). */
  unsubscribe(): void {
    this.clearAll();
    this.upstream?.unsubscribe();
  }
}
