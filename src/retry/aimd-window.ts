/**
 * The concurrency window of `createLimiter({ adaptive: { concurrency: true } })`: additive
 * increase, multiplicative decrease (TCP congestion avoidance) on the number of calls in flight.
 * Pure; the limiter feeds it one outcome per attempt.
 */

/** Options of the AIMD concurrency window. */
import { DEFAULT_AIMD_INITIAL_CONCURRENCY, DEFAULT_AIMD_WINDOWS_PER_INCREASE } from '../defaults.js';

export interface LimiterAimdConfig {
  /** Window to start with. @default maxConcurrency, else 8 calls */
  initial?: number;
  /** Smallest window. @default 1 call */
  min?: number;
  /** Largest window. @default the limiter's maxConcurrency, else unlimited */
  max?: number;
  /** Multiplicative decrease on a throttle. @default 0.7 */
  beta?: number;
  /**
   * Windows of successes per +1: 1 is TCP's +1 per window; larger probes the endpoint's limit
   * more gently, at the cost of reaching a raised limit later (docs/operators.md has the measured
   * trade-off).
   * @default 8 windows
   */
  windowsPerIncrease?: number;
}

/** The AIMD state the limiter reads. */
export interface LimiterAimd {
  /** Calls allowed in flight now (an integer ≥ `min`). */
  readonly limit: number;
  /** Feeds the outcome of one attempt. */
  record(throttling: boolean): void;
}

/**
 * Creates an AIMD concurrency window. A throttle multiplies the window by β, once per window
 * (throttles of calls already in flight when it shrank are not counted again); each success adds
 * `1 / (window × windowsPerIncrease)`, i.e. +1 per `windowsPerIncrease` windows of successes.
 */
export function createLimiterAimd(config: LimiterAimdConfig & { maxConcurrency?: number } = {}): LimiterAimd {
  const max = config.max ?? config.maxConcurrency ?? Number.POSITIVE_INFINITY;
  const min = config.min ?? 1;
  const initial = config.initial ?? config.maxConcurrency ?? DEFAULT_AIMD_INITIAL_CONCURRENCY;
  const beta = config.beta ?? 0.7;
  const windowsPerIncrease = config.windowsPerIncrease ?? DEFAULT_AIMD_WINDOWS_PER_INCREASE;
  const check = (name: string, ok: boolean, value: unknown): void => {
    if (!ok) throw new RangeError(`createLimiter: adaptive.concurrency.${name} is out of range, got ${String(value)}`);
  };
  check('min', Number.isInteger(min) && min >= 1, min);
  check('max', max === Number.POSITIVE_INFINITY || (Number.isFinite(max) && max >= min), max);
  check('initial', Number.isFinite(initial) && initial >= min && initial <= max, initial);
  check('beta', typeof beta === 'number' && beta > 0 && beta < 1, beta);
  check('windowsPerIncrease', Number.isFinite(windowsPerIncrease) && windowsPerIncrease > 0, windowsPerIncrease);

  let window = initial;
  let sinceDecrease = Number.POSITIVE_INFINITY; // outcomes recorded since the last decrease
  return {
    get limit() {
      return Math.max(min, Math.floor(window));
    },
    record(throttling) {
      if (throttling) {
        if (sinceDecrease < Math.floor(window)) return; // same window: already reacted
        window = Math.max(min, window * beta);
        sinceDecrease = 0;
        return;
      }
      sinceDecrease += 1;
      window = Math.min(max, window + 1 / (window * windowsPerIncrease));
    },
  };
}
