/**
 * The client-side sending rate of the AWS SDK adaptive retry mode: CUBIC
 * congestion control over a measured send rate. Same constants and variable names as
 * `@smithy/util-retry` `DefaultRateLimiter` and botocore `retries/adaptive.py` + `cubic.py`;
 * pure, with time passed in, so the math can be checked against reference numbers.
 */

/** CUBIC and measurement constants; each defaults to the AWS SDK's value. */
export interface AdaptiveRateConfig {
  /** CUBIC scale constant C. @default 0.4 */
  scaleConstant?: number;
  /** CUBIC multiplicative decrease β. @default 0.7 */
  beta?: number;
  /** Floor of the fill rate, in tokens (requests) per second. @default 0.5 per second */
  minFillRate?: number;
  /** Floor of the bucket capacity, in tokens. @default 1 token */
  minCapacity?: number;
  /** EMA weight of the newest measured-rate sample. @default 0.8 */
  smoothing?: number;
}

/** Defaults of the AWS SDK adaptive mode (identical in JS and botocore). */
export const ADAPTIVE_RATE_DEFAULTS: Readonly<Required<AdaptiveRateConfig>> = {
  scaleConstant: 0.4,
  beta: 0.7,
  minFillRate: 0.5,
  minCapacity: 1,
  smoothing: 0.8,
};

/** Width of a send-rate measurement bucket, in seconds. */
export const ADAPTIVE_RATE_BUCKET_SECONDS = 0.5;

/** The state of the CUBIC rate, as a limiter reads it. */
export interface AdaptiveRate {
  /** False until the first throttling response; until then the rate does not limit anything. */
  readonly enabled: boolean;
  /** Allowed sending rate, in requests per second. */
  readonly fillRate: number;
  /** Token bucket capacity, in requests. */
  readonly capacity: number;
  /** Smoothed measured response rate, in per second. */
  readonly measuredRate: number;
  /** CUBIC `W_max`: the rate when last throttled, per second. */
  readonly lastMaxRate: number;
  /** CUBIC `K`: seconds after a throttle until the rate is back at `W_max`. */
  readonly timeWindow: number;
  /** Feeds one response: `throttling` for a throttling error, false for anything else. `nowMs`: epoch ms. */
  record(throttling: boolean, nowMs: number): void;
}

/** 8 decimals, as the SDK rounds (`getPrecise`), so results match its numbers exactly. */
const precise = (n: number): number => Number.parseFloat(n.toFixed(8));

/**
 * Creates the CUBIC rate state of the AWS SDK adaptive mode, started at `nowMs`.
 *
 * On a throttling response: `W_max = enabled ? min(measured, fillRate) : measured`,
 * `K = cbrt(W_max × (1 − β) / C)`, new rate `W_max × β`, and the limit is enabled. On any other
 * response: new rate `C × (t − lastThrottle − K)³ + W_max`. Then
 * `fillRate = max(min(newRate, 2 × measured), minFillRate)` and
 * `capacity = max(min(newRate, 2 × measured), minCapacity)`.
 */
export function createAdaptiveRate(nowMs: number, config: AdaptiveRateConfig = {}): AdaptiveRate {
  const { scaleConstant: C, beta, minFillRate, minCapacity, smoothing } = { ...ADAPTIVE_RATE_DEFAULTS, ...config };
  for (const [name, value] of Object.entries({ scaleConstant: C, minFillRate, minCapacity })) {
    if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      throw new RangeError(`createAdaptiveRate: ${name} must be a finite number > 0, got ${String(value)}`);
    }
  }
  for (const [name, value] of Object.entries({ beta, smoothing })) {
    if (!(typeof value === 'number' && value > 0 && value < 1)) {
      throw new RangeError(`createAdaptiveRate: ${name} must be a number in (0, 1), got ${String(value)}`);
    }
  }
  const seconds = (ms: number): number => ms / 1000;
  let enabled = false;
  let fillRate = minFillRate;
  let capacity = minCapacity;
  let measuredTxRate = 0;
  let requestCount = 0;
  let lastMaxRate = 0;
  let timeWindow = 0;
  let lastThrottleTime = seconds(nowMs);
  let lastTxRateBucket = Math.floor(seconds(nowMs));

  const updateMeasuredRate = (t: number): void => {
    const timeBucket = Math.floor(t / ADAPTIVE_RATE_BUCKET_SECONDS) * ADAPTIVE_RATE_BUCKET_SECONDS;
    requestCount += 1;
    if (timeBucket > lastTxRateBucket) {
      const currentRate = requestCount / (timeBucket - lastTxRateBucket);
      measuredTxRate = precise(currentRate * smoothing + measuredTxRate * (1 - smoothing));
      requestCount = 0;
      lastTxRateBucket = timeBucket;
    }
  };

  /** CUBIC `K = cbrt(W_max × (1 − β) / C)`; the SDK computes it as pow(x, 1/3). */
  const cubicTimeWindow = (): number => precise(((lastMaxRate * (1 - beta)) / C) ** (1 / 3));

  return {
    get enabled() {
      return enabled;
    },
    get fillRate() {
      return fillRate;
    },
    get capacity() {
      return capacity;
    },
    get measuredRate() {
      return measuredTxRate;
    },
    get lastMaxRate() {
      return lastMaxRate;
    },
    get timeWindow() {
      return timeWindow;
    },
    record(throttling, nowMs) {
      const t = seconds(nowMs);
      updateMeasuredRate(t);
      let calculatedRate: number;
      if (throttling) {
        const rateToUse = enabled ? Math.min(measuredTxRate, fillRate) : measuredTxRate;
        lastMaxRate = rateToUse;
        timeWindow = cubicTimeWindow();
        lastThrottleTime = t;
        calculatedRate = precise(rateToUse * beta);
        enabled = true;
      } else {
        timeWindow = cubicTimeWindow();
        calculatedRate = precise(C * (t - lastThrottleTime - timeWindow) ** 3 + lastMaxRate);
      }
      const newRate = Math.min(calculatedRate, 2 * measuredTxRate);
      fillRate = Math.max(newRate, minFillRate);
      capacity = Math.max(newRate, minCapacity);
    },
  };
}
