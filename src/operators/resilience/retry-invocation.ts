import { asyncScheduler, Observable, type MonoTypeOperatorFunction, type Observer, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import type { AnyInvokeEvent, InvokeErrorEvent, InvokeEvent } from '../../events/invoke-event.js';
import type { SageMakerRuntimeError } from '../../errors/sagemaker-runtime-error.js';
import {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_RETRY_DELAY_MS,
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_THROTTLING_RETRY_BASE_DELAY_MS,
} from '../../defaults.js';
import { computeBackoffDelay } from '../../retry/backoff.js';
import { createRetryQuota, type RetryQuota } from '../../retry/retry-quota.js';
import { retryEvent, stampAttempt, stampTerminal } from './attempt-metadata.js';
import { createDiagnosticsCall, subscribeObserverWithinCall } from '../../diagnostics/call-scope.js';
import type { DiagnosticsCall } from '../../diagnostics/messages.js';
import { publishCallEnd, publishRetryScheduled } from '../../diagnostics/publish.js';

/** Options of `retryInvocation`. */
export interface RetryInvocationConfig {
  /** Attempts in all, the first included; 1 disables retries. @default 3 attempts */
  maxAttempts?: number;
  /** Backoff base for transient errors (5xx, network, timeouts), in ms. @default 100 ms */
  baseDelayMs?: number;
  /** Backoff base for throttling errors (429, `ThrottlingException`, …), in ms. @default 500 ms */
  throttlingBaseDelayMs?: number;
  /** Cap of the exponential term, in ms (a server hint may add up to 5 s to it). @default 20_000 ms */
  maxDelayMs?: number;
  /** Uniform random source in [0, 1) for the full jitter; inject a constant in tests. @default Math.random */
  random?: () => number;
  /**
   * Replaces the backoff: the wait before the next attempt, in ms, as a number or a function of
   * the failed attempt (1-based) and its error. The quota and `maxAttempts` still apply; a server
   * retry hint is not added. For fixed delays and tests.
   * @default full-jitter backoff from `baseDelayMs`/`throttlingBaseDelayMs`/`maxDelayMs`
   */
  delayMs?: number | ((attempt: number, error: SageMakerRuntimeError) => number);
  /**
   * The retry quota that stops retry storms (AWS SDK standard mode: 500 tokens, a retry costs 5
   * for throttling and 10 for other errors, a success gives 1 back). Pass `client.retryQuota` to
   * share one quota across every call of a client, as `invokeEach` does.
   * @default a new quota of 500 tokens per `retryInvocation(…)` call (shared by every pipeline using that operator instance)
   */
  quota?: RetryQuota;
  /**
   * Overrides the classification: return whether this failure of attempt `attempt` (1-based) may
   * be retried. `maxAttempts`, the quota and `retryAfterData` still apply.
   * @default (error) => error.retryable
   */
  shouldRetry?: (error: SageMakerRuntimeError, attempt: number) => boolean;
  /**
   * Whether a response stream that already delivered a `chunk` may be retried. A retry would
   * deliver those bytes again, so by default a stream is retried only before its first chunk.
   * @default false
   */
  retryAfterData?: boolean;
  /** Schedules the backoff waits and stamps the events. @default asyncScheduler */
  scheduler?: SchedulerLike;
}

/**
 * Retries an invocation on a retryable `error` event: emits a `retry` event (the failed
 * `attempt`, the `delayMs` to wait and the `error`), waits a full-jitter backoff, then
 * resubscribes to the source — a new, freshly signed request.
 *
 * Every event of attempt n carries `attempt: n`. The failed attempt's own `error` event is not
 * forwarded when a retry follows (the `retry` event carries it), so each call still ends with
 * exactly one terminal event, whose `$metadata` (the error's, or the output's) has `attempts` and
 * `totalRetryDelay` (ms). Non-retryable errors pass straight through. A retry is made only while
 * attempts remain and the quota grants its cost; a response gives the quota back. A response
 * stream is not retried after its first `chunk` unless `retryAfterData` is set. Unsubscribing
 * during a wait cancels it: no later request is made.
 *
 * @example
 * ```ts
 * import { retryInvocation } from 'sagemaker-rx';
 * client.invokeEndpoint$(input).pipe(retryInvocation({ maxAttempts: 5, quota: client.retryQuota }))
 *   .subscribe((e) => console.log(e.type, e.attempt));
 * // sent 1, retry 1 (ServiceUnavailable), sent 2, response 2
 * ```
 */
export function retryInvocation<E extends AnyInvokeEvent = InvokeEvent>(config: RetryInvocationConfig = {}): MonoTypeOperatorFunction<E> {
  if (config === null || typeof config !== 'object') throw new TypeError(`retryInvocation: config must be an object, got ${String(config)}`);
  const {
    maxAttempts = DEFAULT_MAX_ATTEMPTS,
    baseDelayMs = DEFAULT_RETRY_BASE_DELAY_MS,
    throttlingBaseDelayMs = DEFAULT_THROTTLING_RETRY_BASE_DELAY_MS,
    maxDelayMs = DEFAULT_MAX_RETRY_DELAY_MS,
    random = Math.random,
    delayMs: fixedDelay,
    quota = createRetryQuota(),
    shouldRetry,
    retryAfterData = false,
    scheduler = asyncScheduler,
  } = config;
  if (!(Number.isInteger(maxAttempts) && maxAttempts >= 1)) {
    throw new RangeError(`retryInvocation: maxAttempts must be an integer >= 1, got ${maxAttempts}`);
  }
  checkDelayOption('baseDelayMs', baseDelayMs);
  checkDelayOption('throttlingBaseDelayMs', throttlingBaseDelayMs);
  checkDelayOption('maxDelayMs', maxDelayMs);
  if (fixedDelay !== undefined && typeof fixedDelay !== 'function' && !(Number.isFinite(fixedDelay) && fixedDelay >= 0)) {
    throw new RangeError(`retryInvocation: delayMs must be a finite number >= 0 ms or a function, got ${fixedDelay}`);
  }
  if (typeof random !== 'function') throw new TypeError(`retryInvocation: random must be a function, got ${typeof random}`);
  if (shouldRetry !== undefined && typeof shouldRetry !== 'function') {
    throw new TypeError(`retryInvocation: shouldRetry must be a function, got ${typeof shouldRetry}`);
  }
  if (!quota || typeof quota.acquire !== 'function' || typeof quota.release !== 'function') {
    throw new TypeError('retryInvocation: quota must have acquire() and release() (see createRetryQuota)');
  }
  if (typeof retryAfterData !== 'boolean') throw new TypeError(`retryInvocation: retryAfterData must be a boolean, got ${typeof retryAfterData}`);
  if (!scheduler || typeof scheduler.schedule !== 'function' || typeof scheduler.now !== 'function') {
    throw new TypeError('retryInvocation: scheduler must be a SchedulerLike');
  }

  const policy: RetryPolicy = { maxAttempts, baseDelayMs, throttlingBaseDelayMs, maxDelayMs, random, fixedDelay, quota, shouldRetry, retryAfterData, scheduler };
  return (source) => new Observable<E>((subscriber) => new RetryRun(source, subscriber, policy).start());
}

function checkDelayOption(name: string, value: unknown): void {
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
    throw new RangeError(`retryInvocation: ${name} must be a finite number >= 0 ms, got ${String(value)}`);
  }
}

/** The checked options of one `retryInvocation(…)`, shared by every subscription. */
interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly throttlingBaseDelayMs: number;
  readonly maxDelayMs: number;
  readonly random: () => number;
  readonly fixedDelay: RetryInvocationConfig['delayMs'];
  readonly quota: RetryQuota;
  readonly shouldRetry: RetryInvocationConfig['shouldRetry'];
  readonly retryAfterData: boolean;
  readonly scheduler: SchedulerLike;
}

/**
 * One subscription to `retryInvocation`: its attempts, one after the other. A plain object with
 * its methods on the prototype, and one `AttemptObserver` per attempt, so a call that succeeds
 * at once costs two small objects of its own and no closure; the first attempt's events go downstream as
 * they came (the client's already say attempt 1, `attempts: 1, totalRetryDelay: 0`). It is also
 * the subscription's teardown (`unsubscribe`).
 */
class RetryRun<E extends AnyInvokeEvent> {
  private attempt = 0;
  private totalRetryDelay = 0;
  private lastRetryCost: number | undefined;
  private current: AttemptObserver<E> | undefined;
  private wait: Subscription | undefined;
  // The attempts of this call share it: diagnostics number them and tie them to the call.
  private readonly call: DiagnosticsCall = createDiagnosticsCall();
  private callEnded = false;

  constructor(
    private readonly source: Observable<E>,
    readonly subscriber: Subscriber<E>,
    private readonly policy: RetryPolicy,
  ) {}

  /** Subscribes the next attempt; returns this run as the teardown. */
  start(): this {
    const n = (this.attempt += 1);
    const inner = new AttemptObserver(this, n);
    this.current = inner;
    this.call.attempt = n;
    const subscription = subscribeObserverWithinCall<Partial<Observer<E>>, Subscription>(this.call, this.source, inner);
    // An attempt that failed (and was retried) during its own subscribe could not be unsubscribed yet.
    if (inner.ended) subscription.unsubscribe();
    else inner.subscription = subscription;
    return this;
  }

  /** An event of attempt `inner.attempt`. */
  event(inner: AttemptObserver<E>, e: E): void {
    const n = inner.attempt;
    switch (e.type) {
      case 'chunk':
        inner.deliveredData = true;
        break;
      case 'error':
        this.failed(inner, e as E & InvokeErrorEvent);
        return;
      case 'response':
      case 'accepted':
        this.policy.quota.release(this.lastRetryCost);
        this.callEnded = true;
        publishCallEnd(this.call, n, e.type);
        this.subscriber.next(stampTerminal(e, n, this.totalRetryDelay));
        return;
    }
    this.subscriber.next(e.attempt === n ? e : stampAttempt(e, n));
  }

  /** Attempt `inner.attempt` ended with an `error` event: retry it, or pass the error on as the call's. */
  private failed(inner: AttemptObserver<E>, e: E & InvokeErrorEvent): void {
    const n = inner.attempt;
    const { subscriber } = this;
    let delayMs: number | undefined;
    try {
      delayMs = this.planRetry(e.error, n, inner.deliveredData);
    } catch (err) {
      subscriber.error(err); // a throwing shouldRetry or random is a defect
      return;
    }
    if (delayMs === undefined) {
      this.callEnded = true;
      publishCallEnd(this.call, n, 'error', e.error);
      subscriber.next(stampTerminal(e, n, this.totalRetryDelay));
      return;
    }
    // The rest of this attempt is ignored: unsubscribing it now also aborts what is left of it.
    inner.end();
    if (this.current === inner) this.current = undefined;
    const { scheduler } = this.policy;
    const retry = retryEvent(e.error, delayMs, { attempts: n, totalRetryDelay: this.totalRetryDelay }, scheduler.now());
    this.totalRetryDelay += delayMs;
    publishRetryScheduled(this.call, n, delayMs, e.error);
    subscriber.next(retry as E);
    if (subscriber.closed) return;
    this.wait = scheduler.schedule(() => {
      this.wait = undefined;
      this.start();
    }, delayMs);
  }

  /** Returns the wait before the next attempt, or undefined when this failure of attempt `n` is final. */
  private planRetry(error: SageMakerRuntimeError, n: number, deliveredData: boolean): number | undefined {
    const policy = this.policy;
    if (n >= policy.maxAttempts) return undefined;
    if (deliveredData && !policy.retryAfterData) return undefined;
    const retryable = policy.shouldRetry ? policy.shouldRetry(error, n) : error.retryable;
    if (!retryable) return undefined;
    const cost = policy.quota.acquire(error.throttling === true);
    if (!(cost > 0)) return undefined;
    this.lastRetryCost = cost;
    if (policy.fixedDelay !== undefined) return delayOf(policy.fixedDelay, n, error);
    return computeBackoffDelay({
      retriesDone: n - 1,
      throttling: error.throttling === true,
      baseDelayMs: policy.baseDelayMs,
      throttlingBaseDelayMs: policy.throttlingBaseDelayMs,
      maxDelayMs: policy.maxDelayMs,
      random: policy.random,
      retryAfterMs: error.retryAfterMs,
    });
  }

  /** The downstream unsubscribed, or the call ended: cancels a wait and the attempt in flight. */
  unsubscribe(): void {
    this.wait?.unsubscribe();
    this.current?.end();
    if (!this.callEnded) {
      this.callEnded = true;
      publishCallEnd(this.call, this.attempt, 'cancelled');
    }
  }
}

/**
 * The observer of one attempt: hands its events to the run. A plain object with methods (RxJS
 * wraps it in its usual subscriber, so its own code keeps seeing the one subscriber class it
 * sees everywhere else: subclassing `Subscriber` here was measured to slow other calls' paths
 * through RxJS in the same process). Once ended, its later notifications are ignored.
 */
class AttemptObserver<E extends AnyInvokeEvent> {
  /** A `chunk` of this attempt went downstream. */
  deliveredData = false;
  /** This attempt failed and a retry follows: the rest of it is ignored. */
  ended = false;
  subscription: Subscription | undefined = undefined;

  constructor(
    private readonly run: RetryRun<E>,
    readonly attempt: number,
  ) {}

  next(e: E): void {
    if (!this.ended) this.run.event(this, e);
  }

  error(err: unknown): void {
    if (!this.ended) this.run.subscriber.error(err);
  }

  complete(): void {
    if (!this.ended) this.run.subscriber.complete();
  }

  /** Ignores the rest of this attempt and unsubscribes it (aborting its request). */
  end(): void {
    this.ended = true;
    this.subscription?.unsubscribe();
  }
}

/** The user's delay for this retry, checked: a function returning garbage is a defect. */
function delayOf(delay: number | ((attempt: number, error: SageMakerRuntimeError) => number), attempt: number, error: SageMakerRuntimeError): number {
  const ms = typeof delay === 'function' ? delay(attempt, error) : delay;
  if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`retryInvocation: delayMs returned ${ms} for attempt ${attempt}; expected a finite number >= 0 ms`);
  return ms;
}
