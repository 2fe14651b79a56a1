import { computeBackoffDelay, RETRY_AFTER_MAX_EXTENSION_MS, type BackoffInput } from '../../src/retry/backoff.js';

const base: BackoffInput = {
  retriesDone: 0,
  throttling: false,
  baseDelayMs: 100,
  throttlingBaseDelayMs: 500,
  maxDelayMs: 20_000,
  random: () => 0.5,
};

describe('computeBackoffDelay', () => {
  it('doubles the transient base with each retry and applies the jitter factor', () => {
    const delays = [0, 1, 2, 3, 4].map((retriesDone) => computeBackoffDelay({ ...base, retriesDone }));
    expect(delays).toEqual([50, 100, 200, 400, 800]);
  });

  it('uses the throttling base for throttling errors', () => {
    expect(computeBackoffDelay({ ...base, throttling: true })).toBe(250);
    expect(computeBackoffDelay({ ...base, throttling: true, retriesDone: 2 })).toBe(1000);
  });

  it('caps the exponential term at maxDelayMs before the jitter', () => {
    expect(computeBackoffDelay({ ...base, retriesDone: 20, random: () => 0.999 })).toBe(19_980);
    expect(computeBackoffDelay({ ...base, retriesDone: 3, maxDelayMs: 300, random: () => 1 })).toBe(300);
  });

  it('floors the jittered delay, as the AWS SDK does', () => {
    expect(computeBackoffDelay({ ...base, random: () => 0.123_456 })).toBe(12);
  });

  it('clamps a random source outside [0, 1]', () => {
    expect(computeBackoffDelay({ ...base, random: () => -3 })).toBe(0);
    expect(computeBackoffDelay({ ...base, random: () => 7 })).toBe(100);
    expect(computeBackoffDelay({ ...base, random: () => Number.NaN })).toBe(0);
  });

  it('lets a server hint lengthen the wait by at most 5 s beyond the computed delay', () => {
    expect(RETRY_AFTER_MAX_EXTENSION_MS).toBe(5000);
    expect(computeBackoffDelay({ ...base, retryAfterMs: 3000 })).toBe(3000);
    expect(computeBackoffDelay({ ...base, retryAfterMs: 60_000 })).toBe(5050);
  });

  it('never lets a server hint shorten the computed wait', () => {
    expect(computeBackoffDelay({ ...base, retriesDone: 3, retryAfterMs: 10 })).toBe(400);
  });
});
