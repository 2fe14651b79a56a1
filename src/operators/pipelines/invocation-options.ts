/**
 * What `invokeEach` and `batchInvocations` share: the per-invocation resilience options
 * (`retry`, `timeout`, `limiter`), composed in one place, and the checks of their configs.
 * Internal; only the `InvocationOptions` type is public.
 */
import { identity, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import type { EndpointInvoker } from '../../events/invoker.js';
import type { InvokeEvent } from '../../events/invoke-event.js';
import type { Limiter } from '../resilience/create-limiter.js';
import { retryInvocation, type RetryInvocationConfig } from '../resilience/retry-invocation.js';
import { throttleInvocations } from '../resilience/throttle-invocations.js';
import { timeoutInvocation, type TimeoutInvocationConfig } from '../resilience/timeout-invocation.js';

/** The resilience options of `invokeEach` and `batchInvocations`, applied to every invocation. */
export interface InvocationOptions {
  /**
   * Retry each invocation on retryable errors (`retryInvocation`): `true` for its defaults, or its
   * config. The retry quota defaults to the client's (`client.retryQuota`), so every pipeline of
   * one client shares it. @default no retries
   */
  retry?: boolean | RetryInvocationConfig;
  /**
   * Deadlines (`timeoutInvocation`): a number is `each`, the ms one attempt may take. `each` and
   * `idle` bound every attempt (a timed-out attempt is retried when `retry` is on); `total` bounds
   * the whole invocation, limiter queueing and retry waits included, and is not retried.
   * @default none
   */
  timeout?: number | TimeoutInvocationConfig;
  /**
   * A limiter from `createLimiter` (`throttleInvocations`): every attempt waits for a permit, so
   * one limiter shared by several pipelines caps them together. @default none
   */
  limiter?: Limiter;
}

/**
 * The operator that wraps one invocation with the options, in the order the resilience operators
 * are designed for: `timeoutInvocation({ each, idle })` innermost (it bounds one attempt and starts
 * once the permit is granted), then `throttleInvocations(limiter)` (each attempt takes its own
 * permit; a backoff wait holds none), then `retryInvocation` (each retry re-queues a fresh
 * attempt), then `timeoutInvocation({ total })` around it all. Built once per operator, so bad
 * options throw when the operator is created.
 */
export function invocationOptionsOperator(
  operator: string,
  client: EndpointInvoker,
  options: InvocationOptions,
  scheduler?: SchedulerLike,
): MonoTypeOperatorFunction<InvokeEvent> {
  const { retry, timeout, limiter } = options;
  const withScheduler = scheduler ? { scheduler } : {};

  const deadlines: TimeoutInvocationConfig | undefined = typeof timeout === 'number' ? { each: timeout } : timeout;
  if (deadlines !== undefined && (deadlines === null || typeof deadlines !== 'object')) {
    throw new TypeError(`${operator}: timeout must be a number of ms or { each, idle, total }, got ${String(timeout)}`);
  }
  const { total, ...perAttempt } = deadlines ?? {};
  const attemptTimeout =
    perAttempt.each !== undefined || perAttempt.idle !== undefined
      ? timeoutInvocation<InvokeEvent>({ ...withScheduler, ...perAttempt })
      : identity;
  const totalTimeout =
    total !== undefined ? timeoutInvocation<InvokeEvent>({ scheduler: deadlines?.scheduler ?? scheduler, total }) : identity;

  if (limiter !== undefined && (limiter === null || typeof limiter.acquire !== 'function')) {
    throw new TypeError(`${operator}: limiter must be a limiter from createLimiter()`);
  }
  const throttle = limiter ? throttleInvocations<InvokeEvent>(limiter) : identity;

  if (retry !== undefined && typeof retry !== 'boolean' && (retry === null || typeof retry !== 'object')) {
    throw new TypeError(`${operator}: retry must be a boolean or a retryInvocation config, got ${String(retry)}`);
  }
  const retryConfig = retry === true ? {} : retry || undefined;
  const retries = retryConfig
    ? retryInvocation<InvokeEvent>({
        ...withScheduler,
        ...retryConfig,
        ...(retryConfig.quota ?? client.retryQuota ? { quota: retryConfig.quota ?? client.retryQuota } : {}),
      })
    : identity;

  return (invocation$) => invocation$.pipe(attemptTimeout, throttle, retries, totalTimeout);
}

/** Throws a `RangeError` unless `value` is a positive integer or `Infinity`. */
export function validateConcurrency(operator: string, value: number): void {
  if (!(value === Infinity || (Number.isInteger(value) && value >= 1))) {
    throw new RangeError(`${operator}: concurrency must be a positive integer or Infinity, got ${value}`);
  }
}

/** The message of a thrown value, whatever was thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
