/**
 * Full-jitter exponential backoff of the AWS SDK standard mode (as
 * `@smithy/util-retry` `DefaultRetryBackoffStrategy` and `StandardRetryStrategy`), as a pure
 * function so it can be tested with an injected random source.
 */

/** How far beyond the computed delay a server hint (`Retry-After`, `x-amz-retry-after`) may extend the wait, in ms. */
export const RETRY_AFTER_MAX_EXTENSION_MS = 5_000;

/** What `computeBackoffDelay` needs to know about the retry to come. */
export interface BackoffInput {
  /** Retries already done for this call: 0 for the first retry (the SDK's `i`). */
  retriesDone: number;
  /** Whether the failure was a throttling error: selects `throttlingBaseDelayMs` over `baseDelayMs`. */
  throttling: boolean;
  /** Base delay for transient errors, in ms. */
  baseDelayMs: number;
  /** Base delay for throttling errors, in ms. */
  throttlingBaseDelayMs: number;
  /** Cap of the exponential term, in ms. */
  maxDelayMs: number;
  /** A source of uniform numbers in [0, 1); values outside are clamped. */
  random: () => number;
  /** The server's hint, in ms from when the failed response arrived, if it sent one. */
  retryAfterMs?: number;
}

/**
 * Computes the wait before the next attempt: `floor(random() × min(base × 2^i, maxDelayMs))`,
 * then, when the server sent a retry hint, `max(delay, min(hint, delay + 5000))` — the server
 * may lengthen the wait by at most 5 s, never shorten it (as `@smithy/util-retry` does).
 *
 * @example
 * ```ts
 * import { computeBackoffDelay } from 'sagemaker-rx';
 * computeBackoffDelay({ retriesDone: 2, throttling: false, baseDelayMs: 100, throttlingBaseDelayMs: 500,
 *   maxDelayMs: 20_000, random: () => 0.5 }); // 200 (0.5 × 100 × 2²)
 * ```
 */
export function computeBackoffDelay(input: BackoffInput): number {
  const base = input.throttling ? input.throttlingBaseDelayMs : input.baseDelayMs;
  const r = Math.min(Math.max(Number(input.random()) || 0, 0), 1);
  const computed = Math.floor(r * Math.min(base * 2 ** input.retriesDone, input.maxDelayMs));
  const hint = input.retryAfterMs;
  if (hint === undefined || !Number.isFinite(hint)) return computed;
  return Math.max(computed, Math.min(Math.ceil(hint), computed + RETRY_AFTER_MAX_EXTENSION_MS));
}
