/**
 * The counters of an enrichment run, filled by the engine and read by progress displays and
 * summaries while the run goes on.
 */

/** Counters of one run; every field only grows. */
export interface EnrichStats {
  /** Non-blank input lines read (records skipped by `resume` included). */
  read: number;
  /** Records skipped because a previous run already wrote them (`resume`). */
  skipped: number;
  /** Records written to the output with their answer. */
  ok: number;
  /** Records that failed (malformed ones included). */
  failed: number;
  /** Lines that were not JSON, or records the answer could not be added to (part of `failed`). */
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
export function createEnrichStats(now = Date.now()): EnrichStats {
  return { read: 0, skipped: 0, ok: 0, failed: 0, malformed: 0, invocations: 0, attempts: 0, retries: 0, throttles: 0, startedAt: now };
}

/** Records finished in this run (written to either output). */
export function recordsDone(stats: EnrichStats): number {
  return stats.ok + stats.failed;
}
