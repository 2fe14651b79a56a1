/**
 * sagemaker-rx/node — the enrichment engine as a library (Node only).
 *
 * The seam every transport builds on (files, Node streams, JetStream):
 *
 * ```ts
 * interface EnrichRecord<M> { readonly line: string; readonly meta: M }
 *   // the raw JSON text of one record (no line terminator; a leading BOM is stripped if present)
 *   // and the source's handle for it (a line number, a message to ack)
 * type EnrichOutcome<M> =
 *   | { kind: 'enriched';  record; line }              // the input text byte for byte, answer spliced in under `as`
 *   | { kind: 'failed';    record; error; errorLine }  // invocation failed after retries, or `field` missing
 *   | { kind: 'malformed'; record; reason; errorLine } // not JSON, or `as` blocked by a non-object; nothing sent
 *   // errorLine: one JSON line {...errorContext(meta), "error": {name, message, retryable, throttling,
 *   // $metadata, ...}, "record": <the original line verbatim>} (malformed: "record": null, "raw": "<line>");
 *   // built from an allow-list of members, so no secrets.
 * function enrichRecords<M>(options: EnrichRecordsOptions<M>): OperatorFunction<EnrichRecord<M>, EnrichOutcome<M>>
 *   // options: client, endpointName, field?, as? ('prediction'), batchSize? (1), maxWaitMs?, codec?
 *   // ('json'|'jsonl'|'csv'|Codec), splitOnFailure?, contentType?, accept?, concurrency? (8),
 *   // ordered? (true), retry? ({ maxAttempts: 3 }), timeoutMs?, limiter? | adaptive?
 *   // ('concurrency'|'rate'|'both'), breaker? (false | { maxConsecutiveFailures: 20, fatalCause }),
 *   // errorContext?(meta), stats?
 * ```
 *
 * Guarantees: exactly one outcome per record while the operator runs (nothing dropped, nothing
 * duplicated); failures are values. The error channel carries defects and `CircuitOpenError`:
 * after `maxConsecutiveFailures` outcomes in a row fail with the same cause no retry fixes
 * (endpoint not found, access denied, credentials, signature, requests refused as invalid, the
 * URL unreachable), those outcomes are emitted, then `CircuitOpenError { kind, failures, hint,
 * cause }`; records still in flight then get no outcome (a source must treat them as not done:
 * redeliver, or leave for `resume`). Memory is bounded only if the source pulls: use `pullFrom`.
 *
 * On top of it: `enrichJsonLines` (Node streams in and out, returning the run's stats), safe
 * file outputs (`checkDistinctFiles`, `openAtomicOutput`), `resume`, and `pullFrom`.
 */

// The seam: records, outcomes, the operator
export type { EnrichRecord, EnrichOutcome, EnrichedOutcome, FailedOutcome, MalformedOutcome } from './enrich-record.js';
export {
  enrichRecords,
  DEFAULT_ENRICH_AS,
  DEFAULT_ENRICH_CONCURRENCY,
  DEFAULT_ENRICH_RETRY,
  type EnrichRecordsOptions,
} from './enrich-records.js';

// Fail fast
export {
  CircuitBreaker,
  CircuitOpenError,
  isCircuitOpenError,
  fatalCauseOf,
  hintFor,
  FATAL_ERROR_NAMES,
  UNREACHABLE_CODES,
  DEFAULT_MAX_CONSECUTIVE_FAILURES,
  type CircuitBreakerConfig,
  type CircuitContext,
  type FatalCause,
  type FatalCauseKind,
} from './circuit-breaker.js';

// Throughput
export { adaptiveLimiter, ADAPTIVE_MODES, type AdaptiveMode } from './adaptive-limiter.js';
export { pullFrom, DEFAULT_PULL_MAX_IN_FLIGHT, type PullFromOptions } from './pull-from.js';

// Lossless records
export { spliceAnswer, SpliceError } from './splice-answer.js';
export { parseFieldPath, formatFieldPath, valueAtPath, type FieldPath } from './field-path.js';
export { rawValueAt } from './json-text.js';
export { errorToJson, describeError, isErrorJson, type ErrorJson } from './error-json.js';

// Node streams and files
export { enrichJsonLines, type EnrichJsonLinesOptions, type EnrichJsonLinesResult } from './enrich-json-lines.js';
export { jsonLinesRecords, type JsonLineMeta, type JsonLinesRecordsOptions } from './json-lines-source.js';
export { OutcomeWriter } from './outcome-writer.js';
export { checkDistinctFiles, SameFileError, isSameFileError, type NamedPath } from './distinct-files.js';
export { openAtomicOutput, partialPathOf, previousOutputOf, type AtomicOutput, type OpenAtomicOutputOptions } from './atomic-output.js';
export { readResumePoint, type ResumePoint, type ReadResumePointOptions } from './resume.js';
export { countLines } from './count-lines.js';

// Counters
export { createEnrichStats, recordsDone, type EnrichStats } from './enrich-stats.js';
export { countingInvoker } from './counting-invoker.js';
