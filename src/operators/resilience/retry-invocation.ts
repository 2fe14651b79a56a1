import { asyncScheduler, Observable, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { AnyInvokeEvent, InvokeEvent } from '../../events/invoke-event.js';
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
import { createDiagnosticsCall, subscribeWithinCall } from '../../diagnostics/call-scope.js';
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
  for (const [name, value] of Object.entries({ baseDelayMs, throttlingBaseDelayMs, maxDelayMs })) {
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`retryInvocation: ${name} must be a finite number >= 0 ms, got ${value}`);
    }
  }
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

  return (source) =>
    new Observable<E>((subscriber) => {
      let attempt = 0;
      let totalRetryDelay = 0;
      let lastRetryCost: number | undefined;
      let current: Subscription | undefined;
      let wait: Subscription | undefined;
      // The attempts of this call share it: diagnostics number them and tie them to the call.
      const call = createDiagnosticsCall();
      let callEnded = false;

      /** Returns the wait before the next attempt, or undefined when this failure is final. */
      const planRetry = (error: SageMakerRuntimeError, deliveredData: boolean): number | undefined => {
        if (attempt >= maxAttempts) return undefined;
        if (deliveredData && !retryAfterData) return undefined;
        const retryable = shouldRetry ? shouldRetry(error, attempt) : error.retryable;
        if (!retryable) return undefined;
        const cost = quota.acquire(error.throttling === true);
        if (!(cost > 0)) return undefined;
        lastRetryCost = cost;
        if (fixedDelay !== undefined) return delayOf(fixedDelay, attempt, error);
        return computeBackoffDelay({
          retriesDone: attempt - 1,
          throttling: error.throttling === true,
          baseDelayMs,
          throttlingBaseDelayMs,
          maxDelayMs,
          random,
          retryAfterMs: error.retryAfterMs,
        });
      };

      const start = (): void => {
        attempt += 1;
        const thisAttempt = attempt;
        let deliveredData = false;
        let ended = false; // this attempt failed and a retry follows: ignore the rest of it
        let sub: Subscription | undefined;

        const endAttempt = (): void => {
          ended = true;
          sub?.unsubscribe();
          if (current === sub) current = undefined;
        };

        const next = (e: E): void => {
          if (ended) return;
          if (e.type === 'chunk') deliveredData = true;
          if (e.type === 'error') {
            let delayMs: number | undefined;
            try {
              delayMs = planRetry(e.error, deliveredData);
            } catch (err) {
              subscriber.error(err); // a throwing shouldRetry or random is a defect
              return;
            }
            if (delayMs === undefined) {
              callEnded = true;
              publishCallEnd(call, thisAttempt, 'error', e.error);
              subscriber.next(stampTerminal(e, { attempts: thisAttempt, totalRetryDelay }));
              return;
            }
            endAttempt();
            const retry = retryEvent(e.error, delayMs, { attempts: thisAttempt, totalRetryDelay }, scheduler.now());
            totalRetryDelay += delayMs;
            publishRetryScheduled(call, thisAttempt, delayMs, e.error);
            subscriber.next(retry as E);
            if (subscriber.closed) return;
            wait = scheduler.schedule(() => {
              wait = undefined;
              start();
            }, delayMs);
            return;
          }
          if (e.type === 'response' || e.type === 'accepted') {
            quota.release(lastRetryCost);
            callEnded = true;
            publishCallEnd(call, thisAttempt, e.type);
            subscriber.next(stampTerminal(e, { attempts: thisAttempt, totalRetryDelay }));
            return;
          }
          subscriber.next(stampAttempt(e, thisAttempt));
        };

        call.attempt = thisAttempt;
        sub = subscribeWithinCall(call, () => source.subscribe({
          next,
          error: (err: unknown) => {
            if (!ended) subscriber.error(err);
          },
          complete: () => {
            if (!ended) subscriber.complete();
          },
        }));
        if (ended) sub.unsubscribe();
        else current = sub;
      };

      start();
      return () => {
        wait?.unsubscribe();
        current?.unsubscribe();
        if (!callEnded) {
          callEnded = true;
          publishCallEnd(call, attempt, 'cancelled');
        }
      };
    });
}

/** The user's delay for this retry, checked: a function returning garbage is a defect. */
function delayOf(delay: number | ((attempt: number, error: SageMakerRuntimeError) => number), attempt: number, error: SageMakerRuntimeError): number {
  const ms = typeof delay === 'function' ? delay(attempt, error) : delay;
  if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`retryInvocation: delayMs returned ${ms} for attempt ${attempt}; expected a finite number >= 0 ms`);
  return ms;
}
