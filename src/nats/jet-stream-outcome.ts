/**
 * The seam between the enrichment engine and a broker: what the engine hands back for each
 * record it was given. The record's `meta` is the broker's handle (here a JetStream delivery).
 */
import type { SageMakerRuntimeError } from '../index.js';
import type { JetStreamDelivery } from './jet-stream-delivery.js';

/** A record as the engine takes it: its text and the handle that finishes it. */
export interface JetStreamRecord {
  readonly line: string;
  readonly meta: JetStreamDelivery;
}

/** Exactly one per record: enriched (the output line), failed (the error) or malformed (why). */
export type JetStreamOutcome =
  | { readonly kind: 'enriched'; readonly record: JetStreamRecord; readonly line: string }
  | { readonly kind: 'failed'; readonly record: JetStreamRecord; readonly error: SageMakerRuntimeError; readonly errorLine: string }
  | { readonly kind: 'malformed'; readonly record: JetStreamRecord; readonly reason: string; readonly errorLine: string };
