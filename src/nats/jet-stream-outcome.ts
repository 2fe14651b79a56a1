/**
 * The seam between the enrichment engine (`sagemaker-rx/node`) and JetStream: the engine's
 * records and outcomes with a delivery as the record's handle.
 */
import type { EnrichOutcome, EnrichRecord } from '../node/index.js';
import type { JetStreamDelivery } from './jet-stream-delivery.js';

/** A record as the engine takes it: the message's text and the delivery that finishes it. */
export type JetStreamRecord = EnrichRecord<JetStreamDelivery>;

/** Exactly one per record: enriched (the output line), failed (the error) or malformed (why). */
export type JetStreamOutcome = EnrichOutcome<JetStreamDelivery>;
