/**
 * The counters of a JetStream enrichment run: the engine's, plus what the broker adds.
 */
import { createEnrichStats, type EnrichStats } from '../node/index.js';
import type { JetStreamSettlement } from './publish-outcomes.js';

/** Counters of one worker's run; every field only grows. `read` counts deliveries. */
export interface JetStreamRunStats extends EnrichStats {
  /** Deliveries that were redeliveries (delivery count above 1): after a nak, a crash or an expired ack_wait. */
  redeliveries: number;
  /** Outputs stored by the server, inputs acked. */
  published: number;
  /** Of `published`: outputs the stream already had (from an earlier delivery) and dropped. */
  duplicates: number;
  /** Records that failed for good: dead-lettered (or, without a dead-letter subject, only terminated). */
  deadLettered: number;
  /** Failed records nak'ed to come back later (retryable, or the worker at fault). */
  nakedForRetry: number;
  /** Records nak'ed because their output or dead letter could not be published. */
  publishFailures: number;
}

/** Fresh counters, started now. */
export function createJetStreamRunStats(now = Date.now()): JetStreamRunStats {
  return { ...createEnrichStats(now), redeliveries: 0, published: 0, duplicates: 0, deadLettered: 0, nakedForRetry: 0, publishFailures: 0 };
}

/** Counts one settlement. */
export function countSettlement(stats: JetStreamRunStats, settlement: JetStreamSettlement): void {
  switch (settlement.kind) {
    case 'published':
      stats.published++;
      if (settlement.duplicate) stats.duplicates++;
      return;
    case 'dead-lettered':
      stats.deadLettered++;
      return;
    case 'retry-later':
      stats.nakedForRetry++;
      return;
    case 'publish-failed':
      stats.publishFailures++;
      return;
  }
}
