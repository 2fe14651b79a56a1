/**
 * The words and numbers of a JetStream worker on stderr: the progress line and the summary,
 * with what the broker adds (redeliveries, duplicates dropped, dead letters).
 */
import type { JetStreamRunStats } from '../../nats/index.js';
import { formatCount, formatRate } from './run-report.js';

/** `1,200 done · 45.0/s · 3 dead letters · 12 redeliveries · 0 retries · 0 throttles`. */
export function jetStreamProgressLine(stats: JetStreamRunStats, now = Date.now()): string {
  const seconds = Math.max(0.001, (now - stats.startedAt) / 1000);
  const done = stats.published + stats.deadLettered;
  return [
    `${formatCount(done)} done`,
    `${formatRate(done / seconds)}/s`,
    `${formatCount(stats.deadLettered)} dead letters`,
    `${formatCount(stats.redeliveries)} redeliveries`,
    `${formatCount(stats.retries)} retries`,
    `${formatCount(stats.throttles)} throttles`,
  ].join(' · ');
}

/**
 * The summary of a worker:
 * `10,000 delivered (12 redeliveries) · 9,990 published (2 duplicates dropped) · 10 dead-lettered · 3 nak'ed for retry · … · 812.3 records/s`.
 */
export function jetStreamSummaryLine(stats: JetStreamRunStats, now = Date.now()): string {
  const seconds = (now - stats.startedAt) / 1000;
  const done = stats.published + stats.deadLettered;
  return [
    `${formatCount(stats.read)} delivered (${formatCount(stats.redeliveries)} redeliveries)`,
    `${formatCount(stats.published)} published${stats.duplicates ? ` (${formatCount(stats.duplicates)} duplicates dropped)` : ''}`,
    `${formatCount(stats.deadLettered)} dead-lettered`,
    `${formatCount(stats.nakedForRetry + stats.publishFailures)} nak'ed for retry`,
    `${formatCount(stats.invocations)} invocations`,
    `${formatCount(stats.retries)} retries`,
    `${formatCount(stats.throttles)} throttles`,
    `${seconds.toFixed(1)} s`,
    `${formatRate(done / Math.max(0.001, seconds))} records/s`,
  ].join(' · ');
}
