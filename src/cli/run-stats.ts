/**
 * The counters of an enrichment run, shared by the pipeline, the progress line and the summary.
 */

/** Counters of one run; every field only grows. */
export interface RunStats {
  /** Non-blank input lines read. */
  read: number;
  /** Records written to the output with their answer. */
  ok: number;
  /** Records written to the errors (malformed lines included). */
  failed: number;
  /** Lines that were not JSON (part of `failed`). */
  malformed: number;
  /** Invocations made: one per record, or one per batch (bisected halves included). */
  invocations: number;
  /** HTTP attempts made: invocations plus retries. */
  attempts: number;
  /** Attempts that were retries of a failed one. */
  retries: number;
  /** Attempts answered with a throttling error. */
  throttles: number;
  /** `Date.now()` when the run started. */
  startedAt: number;
}

/** Fresh counters, started now. */
export function createRunStats(now = Date.now()): RunStats {
  return { read: 0, ok: 0, failed: 0, malformed: 0, invocations: 0, attempts: 0, retries: 0, throttles: 0, startedAt: now };
}

/** Records finished (written to either output). */
export function recordsDone(stats: RunStats): number {
  return stats.ok + stats.failed;
}

/** Records finished per second since the start. */
export function recordsPerSecond(stats: RunStats, now = Date.now()): number {
  const seconds = Math.max(0.001, (now - stats.startedAt) / 1000);
  return recordsDone(stats) / seconds;
}

const count = new Intl.NumberFormat('en-US');
const rate = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

/** `2,400 done · 1,234.5/s · 3 errors · 12 retries · 4 throttles`: the progress line. */
export function progressLine(stats: RunStats, now = Date.now()): string {
  return [
    `${count.format(recordsDone(stats))} done`,
    `${rate.format(recordsPerSecond(stats, now))}/s`,
    `${count.format(stats.failed)} errors`,
    `${count.format(stats.retries)} retries`,
    `${count.format(stats.throttles)} throttles`,
  ].join(' · ');
}

/** Formats an integer with thousands separators. */
export function formatCount(n: number): string {
  return count.format(n);
}

/** Formats a rate with one decimal. */
export function formatRate(n: number): string {
  return rate.format(n);
}

/**
 * The one-line summary of a run:
 * `2,400 records in · 2,397 enriched · 3 failed (1 malformed) · 150 invocations · 12 retries · 4 throttles · 2.1 s · 1,142.9 records/s`.
 */
export function summaryLine(stats: RunStats, now = Date.now()): string {
  const seconds = (now - stats.startedAt) / 1000;
  return [
    `${count.format(stats.read)} records in`,
    `${count.format(stats.ok)} enriched`,
    `${count.format(stats.failed)} failed${stats.malformed ? ` (${count.format(stats.malformed)} malformed)` : ''}`,
    `${count.format(stats.invocations)} invocations`,
    `${count.format(stats.retries)} retries`,
    `${count.format(stats.throttles)} throttles`,
    `${seconds.toFixed(1)} s`,
    `${rate.format(recordsPerSecond(stats, now))} records/s`,
  ].join(' · ');
}
