/**
 * The retry loop of the Promise twins, as the AWS SDK's `send()` retries: standard mode (up to
 * `maxAttempts`, full-jitter backoff, the client's retry quota) or adaptive mode (the same, behind
 * a CUBIC token bucket that slows down after throttling). The Observables keep one attempt per
 * subscription; this loop resubscribes on a retryable error the way `retryInvocation` does. An
 * error with a clock-skew name is retried once when the signing clock was corrected meanwhile.
 */
import { DEFAULT_MAX_RETRY_DELAY_MS, DEFAULT_RETRY_BASE_DELAY_MS, DEFAULT_THROTTLING_RETRY_BASE_DELAY_MS } from '../defaults.js';
import { isClockSkewError } from '../errors/classification.js';
import { isSageMakerRuntimeError } from '../errors/sagemaker-runtime-error.js';
import type { ResponseMetadata } from '../model/shapes.js';
import { createAdaptiveRate, type AdaptiveRate } from '../retry/adaptive-rate.js';
import { computeBackoffDelay } from '../retry/backoff.js';
import type { RetryQuota } from '../retry/retry-quota.js';
import type { SigningClock } from './signing-clock.js';

/** The retry modes of the AWS SDKs (`legacy` is read as `standard`, as the JS SDK v3 does). */
export type RetryMode = 'standard' | 'adaptive';

/** What the loop needs of its client. */
export interface PromiseRetryPolicy {
  /** Attempts, the first included; 1 turns retrying off. */
  readonly maxAttempts: number;
  readonly mode: RetryMode;
  readonly quota: RetryQuota;
  /** The client's adaptive rate (shared by its calls), in adaptive mode. */
  readonly rate?: AdaptiveRateLimiter;
  readonly clock?: SigningClock;
  /** @default Math.random */
  readonly random?: () => number;
}

/**
 * Runs `attempt` until it resolves, fails with an error that is not retryable, runs out of
 * attempts or of retry quota; then resolves or rejects with `$metadata.attempts` and
 * `totalRetryDelay` set. `signal` aborting ends the wait and rejects with its reason.
 */
export async function withPromiseRetry<T extends { $metadata?: ResponseMetadata }>(
  attempt: (signal: AbortSignal | undefined) => Promise<T>,
  policy: PromiseRetryPolicy,
  signal?: AbortSignal,
): Promise<T> {
  const random = policy.random ?? Math.random;
  let totalRetryDelay = 0;
  let lastCost: number | undefined;
  let skewRetried = false;
  for (let n = 1; ; n += 1) {
    if (policy.rate) await policy.rate.acquire(signal);
    const offsetBefore = policy.clock?.offsetMs;
    try {
      const result = await attempt(signal);
      policy.quota.release(lastCost);
      policy.rate?.record(false);
      return withAttempts(result, n, totalRetryDelay);
    } catch (error) {
      if (!isSageMakerRuntimeError(error) || signal?.aborted) throw error;
      policy.rate?.record(error.throttling);
      error.$metadata = { ...error.$metadata, attempts: n, totalRetryDelay };
      const skewCorrected = isClockSkewError(error) && !skewRetried && policy.clock !== undefined && policy.clock.offsetMs !== offsetBefore;
      if (n >= policy.maxAttempts || !(error.retryable || skewCorrected)) throw error;
      if (skewCorrected) {
        // The SDK retries a corrected clock-skew error at once and without spending quota.
        skewRetried = true;
        continue;
      }
      const cost = policy.quota.acquire(error.throttling);
      if (cost === 0) throw error;
      lastCost = cost;
      const delay = computeBackoffDelay({
        retriesDone: n - 1,
        throttling: error.throttling,
        baseDelayMs: DEFAULT_RETRY_BASE_DELAY_MS,
        throttlingBaseDelayMs: DEFAULT_THROTTLING_RETRY_BASE_DELAY_MS,
        maxDelayMs: DEFAULT_MAX_RETRY_DELAY_MS,
        random,
        ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }),
      });
      await sleep(delay, signal);
      totalRetryDelay += delay;
    }
  }
}

function withAttempts<T extends { $metadata?: ResponseMetadata }>(result: T, attempts: number, totalRetryDelay: number): T {
  return { ...result, $metadata: { ...result.$metadata, attempts, totalRetryDelay } };
}

/** The adaptive mode's client-side rate limiter: a token bucket whose rate follows CUBIC. */
export interface AdaptiveRateLimiter {
  /** Waits for a send token (at once until the first throttling response). */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Feeds one response: throttling or not. */
  record(throttling: boolean): void;
}

/** Creates the adaptive mode's limiter (the SDK's `DefaultRateLimiter`, over the CUBIC of `retry/`). */
export function createAdaptiveRateLimiter(now: () => number = Date.now): AdaptiveRateLimiter {
  const rate: AdaptiveRate = createAdaptiveRate(now());
  let tokens = 0;
  let refilledAt = now();
  const refill = () => {
    const t = now();
    tokens = Math.min(rate.capacity, tokens + ((t - refilledAt) / 1000) * rate.fillRate);
    refilledAt = t;
  };
  return {
    async acquire(signal) {
      if (!rate.enabled) return;
      for (;;) {
        refill();
        if (tokens >= 1) {
          tokens -= 1;
          return;
        }
        await sleep(Math.ceil(((1 - tokens) / rate.fillRate) * 1000), signal);
      }
    },
    record(throttling) {
      refill();
      rate.record(throttling, now());
    },
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
