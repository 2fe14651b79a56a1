import { ADAPTIVE_RATE_DEFAULTS, createAdaptiveRate } from '../../src/retry/adaptive-rate.js';
// The official SDK's implementation (a dependency of @aws-sdk/client-sagemaker-runtime), as the oracle.
import { DefaultRateLimiter } from '@smithy/core/retry';

/** Steady successes every `everyMs` from `fromMs` (exclusive) to `toMs` (inclusive). */
function steady(rate: ReturnType<typeof createAdaptiveRate>, fromMs: number, toMs: number, everyMs: number): void {
  for (let t = fromMs + everyMs; t <= toMs; t += everyMs) rate.record(false, t);
}

describe('createAdaptiveRate (AWS SDK adaptive mode, CUBIC)', () => {
  it('uses the AWS SDK constants', () => {
    expect(ADAPTIVE_RATE_DEFAULTS).toEqual({ scaleConstant: 0.4, beta: 0.7, minFillRate: 0.5, minCapacity: 1, smoothing: 0.8 });
  });

  it('starts disabled at the minimum fill rate and capacity', () => {
    const rate = createAdaptiveRate(0);
    expect([rate.enabled, rate.fillRate, rate.capacity, rate.measuredRate]).toEqual([false, 0.5, 1, 0]);
  });

  it('measures the response rate per 0.5 s bucket with an EMA weight of 0.8', () => {
    const rate = createAdaptiveRate(0);
    steady(rate, 0, 500, 50); // 10 responses in the first bucket: 20/s → 0.8 × 20
    expect(rate.measuredRate).toBe(16);
    steady(rate, 500, 1000, 50);
    expect(rate.measuredRate).toBe(19.2); // 0.8 × 20 + 0.2 × 16
    steady(rate, 1000, 2000, 50);
    expect(rate.measuredRate).toBe(19.968);
  });

  it('drops to β × the measured rate on the first throttle and enables the limit (reference numbers)', () => {
    const rate = createAdaptiveRate(0);
    steady(rate, 0, 2000, 50);
    expect(rate.enabled).toBe(false);
    rate.record(true, 2050);
    expect(rate.enabled).toBe(true);
    expect(rate.lastMaxRate).toBe(19.968); // W_max = measured
    expect(rate.timeWindow).toBe(2.46489606); // K = cbrt(19.968 × 0.3 / 0.4)
    expect(rate.fillRate).toBe(13.9776); // 0.7 × 19.968
    expect(rate.capacity).toBe(13.9776);
  });

  it('follows the cubic curve after a throttle, capped at twice the measured rate', () => {
    const rate = createAdaptiveRate(0);
    steady(rate, 0, 2000, 50);
    rate.record(true, 2050);
    rate.record(false, 3000);
    // measured: 0.8 × (2 / 1.0 s) + 0.2 × 19.968 = 5.5936; cubic: 0.4 × (3 − 2.05 − K)³ + 19.968 = 18.5774
    expect(rate.measuredRate).toBe(5.5936);
    expect(rate.fillRate).toBeCloseTo(11.1872, 8); // min(18.5774, 2 × 5.5936)
  });

  it('recovers to the pre-throttle rate K seconds after the throttle when the client sends at the allowed rate, then probes above it', () => {
    const rate = createAdaptiveRate(0);
    steady(rate, 0, 2000, 50);
    rate.record(true, 2050);
    const wMax = rate.lastMaxRate;
    const k = rate.timeWindow;
    const fills: Array<[number, number]> = [];
    let t = 2050;
    while (t < 2050 + (k + 1.5) * 1000) {
      t += 1000 / rate.fillRate; // a client that sends as fast as the limiter lets it
      rate.record(false, t);
      fills.push([t, rate.fillRate]);
    }
    const atK = fills.find(([time]) => time >= 2050 + k * 1000)!;
    expect(atK[1]).toBeGreaterThan(0.9 * wMax);
    expect(atK[1]).toBeLessThan(1.1 * wMax);
    expect(fills.at(-1)![1]).toBeGreaterThan(wMax); // after K the curve goes above W_max
    expect(fills.slice(5).every(([, f], i, all) => i === 0 || f >= all[i - 1]![1] - 0.5)).toBe(true); // climbs, up to measurement noise
  });

  it('drops again on repeated throttles, from min(measured, fillRate), never below 0.5/s', () => {
    const rate = createAdaptiveRate(0);
    steady(rate, 0, 2000, 50);
    rate.record(true, 2050);
    const first = rate.fillRate;
    rate.record(true, 2100);
    expect(rate.fillRate).toBeCloseTo(first * 0.7, 6); // min(measured 19.968, fill 13.9776) × 0.7
    for (let i = 0; i < 30; i += 1) rate.record(true, 2150 + i * 10);
    expect(rate.fillRate).toBe(0.5);
    expect(rate.capacity).toBe(1);
  });

  it('computes the same numbers as the AWS SDK DefaultRateLimiter for the same responses', () => {
    const now = jest.spyOn(Date, 'now');
    try {
      const start = 1_700_000_000_000;
      now.mockReturnValue(start);
      const sdk = new DefaultRateLimiter() as unknown as {
        updateClientSendingRate(r: unknown): void;
        fillRate: number;
        maxCapacity: number;
        measuredTxRate: number;
        lastMaxRate: number;
        timeWindow: number;
        enabled: boolean;
      };
      const ours = createAdaptiveRate(start);
      // a deterministic mix of spacing and throttles
      let t = start;
      let seed = 7;
      const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
      for (let i = 0; i < 400; i += 1) {
        t += Math.floor(next() * 120);
        const throttling = next() < 0.08;
        now.mockReturnValue(t);
        sdk.updateClientSendingRate(throttling ? { errorType: 'THROTTLING' } : {});
        ours.record(throttling, t);
        expect([ours.enabled, ours.measuredRate, ours.lastMaxRate, ours.timeWindow]).toEqual([sdk.enabled, sdk.measuredTxRate, sdk.lastMaxRate, sdk.timeWindow]);
        expect(ours.fillRate).toBeCloseTo(sdk.fillRate, 8);
        expect(ours.capacity).toBeCloseTo(sdk.maxCapacity, 8);
      }
    } finally {
      now.mockRestore();
    }
  });

  it.each([
    ['beta', { beta: 1 }],
    ['beta', { beta: 0 }],
    ['smoothing', { smoothing: 1.5 }],
    ['scaleConstant', { scaleConstant: -1 }],
    ['minFillRate', { minFillRate: 0 }],
    ['minCapacity', { minCapacity: Number.NaN }],
  ])('throws a RangeError naming %s for an invalid value', (name, config) => {
    expect(() => createAdaptiveRate(0, config)).toThrow(RangeError);
    expect(() => createAdaptiveRate(0, config)).toThrow(name);
  });
});
