/**
 * The enrich engine's defaults and choices as plain values, in a module that imports nothing: the
 * CLI's `--help` shows them without loading the engine (and with it rxjs and the client).
 */

/** Default `concurrency` of `enrichRecords`. */
export const DEFAULT_ENRICH_CONCURRENCY = 8;

/** Default `maxConsecutiveFailures` of the fail-fast breaker. */
export const DEFAULT_MAX_CONSECUTIVE_FAILURES = 20;

/** The algorithms `adaptive` offers. */
export const ADAPTIVE_MODES = ['concurrency', 'rate', 'both'] as const;
/** One of `ADAPTIVE_MODES`. */
export type AdaptiveMode = (typeof ADAPTIVE_MODES)[number];
