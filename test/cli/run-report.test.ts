import { createEnrichStats } from '../../src/node/enrich-stats';
import { formatDuration, progressLine, summaryLine } from '../../src/cli/output/run-report';

describe('the progress line', () => {
  it('shows done / total, percentage, rate, ETA, errors, retries and throttles', () => {
    const stats = { ...createEnrichStats(0), read: 3_000, ok: 2_400, failed: 100, retries: 7, throttles: 2 };
    // 2,500 done in 10 s = 250/s; 7,500 left = 30 s.
    expect(progressLine(stats, 10_000, 10_000)).toBe('2,500 / 10,000 done (25.0 %) · 250.0/s · ETA 30s · 100 errors · 7 retries · 2 throttles');
  });

  it('counts records a resumed run skipped as done, and has no total or ETA while the count is unknown', () => {
    const stats = { ...createEnrichStats(0), read: 600, skipped: 500, ok: 100 };
    expect(progressLine(stats, undefined, 1_000)).toBe('600 done · 100.0/s · 0 errors · 0 retries · 0 throttles');
    expect(summaryLine(stats, 1_000)).toContain('500 already done (resumed)');
  });

  it('writes durations as a person would', () => {
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(185)).toBe('3m05s');
    expect(formatDuration(3_720)).toBe('1h02m');
  });
});
