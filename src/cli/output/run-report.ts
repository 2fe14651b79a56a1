/**
 * The words and numbers of an enrichment run on stderr: the progress line (done / total, %, rate,
 * ETA, errors, retries, throttles) and the one-line summary.
 */
import { recordsDone, type EnrichStats } from '../../node/index.js';

const count = new Intl.NumberFormat('en-US');
const rate = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

/** Formats an integer with thousands separators. */
export function formatCount(n: number): string {
  return count.format(n);
}

/** Formats a rate with one decimal. */
export function formatRate(n: number): string {
  return rate.format(n);
}

/** Records finished per second since the start. */
export function recordsPerSecond(stats: EnrichStats, now = Date.now()): number {
  const seconds = Math.max(0.001, (now - stats.startedAt) / 1000);
  return recordsDone(stats) / seconds;
}

/** `1h02m`, `3m05s`, `42s`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/**
 * `12,345 / ≈100,000 (12.3 %) · 1,234.5/s · ETA 1m10s · 3 errors · 12 retries · 4 throttles`.
 * `total` is the input's line count when known (records a previous run wrote are counted as done).
 */
export function progressLine(stats: EnrichStats, total?: number, now = Date.now()): string {
  const done = recordsDone(stats) + stats.skipped;
  const perSecond = recordsPerSecond(stats, now);
  const parts = [`${count.format(done)}${total !== undefined ? ` / ${count.format(Math.max(total, done))}` : ''} done`];
  if (total !== undefined && total > 0) {
    parts[0] += ` (${rate.format(Math.min(100, (100 * done) / Math.max(total, done)))} %)`;
  }
  parts.push(`${rate.format(perSecond)}/s`);
  if (total !== undefined && perSecond > 0 && total > done) parts.push(`ETA ${formatDuration((total - done) / perSecond)}`);
  parts.push(`${count.format(stats.failed)} errors`, `${count.format(stats.retries)} retries`, `${count.format(stats.throttles)} throttles`);
  return parts.join(' · ');
}

/**
 * The one-line summary of a run:
 * `2,400 records in · 2,397 enriched · 3 failed (1 malformed) · 150 invocations · 12 retries · 4 throttles · 2.1 s · 1,142.9 records/s`.
 */
export function summaryLine(stats: EnrichStats, now = Date.now()): string {
  const seconds = (now - stats.startedAt) / 1000;
  return [
    `${count.format(stats.read)} records in`,
    ...(stats.skipped ? [`${count.format(stats.skipped)} already done (resumed)`] : []),
    `${count.format(stats.ok)} enriched`,
    `${count.format(stats.failed)} failed${stats.malformed ? ` (${count.format(stats.malformed)} malformed)` : ''}`,
    `${count.format(stats.invocations)} invocations`,
    `${count.format(stats.retries)} retries`,
    `${count.format(stats.throttles)} throttles`,
    `${seconds.toFixed(1)} s`,
    `${rate.format(recordsPerSecond(stats, now))} records/s`,
  ].join(' · ');
}
