/**
 * The records and outcomes of an enrichment run, independent of where records come from (a file,
 * a Node stream, a JetStream consumer) and where the outcomes go.
 */
import type { SageMakerRuntimeError } from '../index.js';

/**
 * One record to enrich: the raw JSON text of the record (one line, no line terminator, BOM
 * already stripped) and the source's handle for it (a line number, a message to acknowledge).
 */
export interface EnrichRecord<M = unknown> {
  readonly line: string;
  readonly meta: M;
}

/** The record was answered: `line` is the input text byte for byte with the answer spliced in. */
export interface EnrichedOutcome<M = unknown> {
  readonly kind: 'enriched';
  readonly record: EnrichRecord<M>;
  readonly line: string;
}

/**
 * The record's invocation failed (after any retries), or the record could not be sent (its
 * `field` is missing: an `InvalidRequestError` naming `field`). `errorLine` is one JSON line
 * `{ …context, "error": {…}, "record": <the original line verbatim> }`, with no secrets.
 */
export interface FailedOutcome<M = unknown> {
  readonly kind: 'failed';
  readonly record: EnrichRecord<M>;
  readonly error: SageMakerRuntimeError;
  readonly errorLine: string;
}

/**
 * The record is not JSON, or the answer cannot be added where `as` says (a step of it is not an
 * object). Nothing was sent. `errorLine` is `{ …context, "error": {…}, "record": null, "raw": "<the line>" }`.
 */
export interface MalformedOutcome<M = unknown> {
  readonly kind: 'malformed';
  readonly record: EnrichRecord<M>;
  readonly reason: string;
  readonly errorLine: string;
}

/** Exactly one per record given to `enrichRecords`. */
export type EnrichOutcome<M = unknown> = EnrichedOutcome<M> | FailedOutcome<M> | MalformedOutcome<M>;
