/**
 * The codec contract of `batchInvocations`: how a batch of items becomes one request body, and
 * how the endpoint's answer becomes one result per item.
 */
import type { InvokeEndpointOutput } from '../../../model/shapes.js';

/**
 * How the pieces of `encodeItem` make a body: `prefix`, the pieces joined by `separator`, then
 * `suffix` (each as UTF-8). Absent parts are empty.
 */
export interface CodecFrame {
  /** @default '' */
  readonly prefix?: string;
  /** @default '' */
  readonly separator?: string;
  /** @default '' */
  readonly suffix?: string;
}

/**
 * Encodes a batch of items into one request body and decodes the answer into one value per item.
 *
 * `decode` must return exactly one value per item, in the items' order; `batchInvocations` treats
 * any other count as a failure of the whole batch (`BatchDecodeError`), never as a shift. A codec
 * that throws fails the batch too.
 *
 * With `encodeItem`, `batchInvocations` encodes each item once as it arrives, counts the batch's
 * bytes incrementally and builds the body as `frame.prefix + pieces.join(frame.separator) +
 * frame.suffix`; `encode(items)` must give the same bytes (the built-in codecs do). Without it,
 * `encode([item])` measures each item (a conservative estimate for the usual framings) and
 * `encode(items)` builds the body; a body that still comes out too large is bisected before it
 * is sent.
 */
export interface Codec<T, R = unknown> {
  /** The request's `ContentType`. */
  readonly contentType: string;
  /** The request's `Accept`, when the endpoint needs one. */
  readonly accept?: string;
  /** The body for these items (a string is sent as UTF-8). */
  encode(items: readonly T[]): Uint8Array | string;
  /** One value per item, in order, from the endpoint's answer to `encode(items)`. */
  decode(output: InvokeEndpointOutput, items: readonly T[]): R[];
  /** One item as it appears in the body, for linear byte counting (see `frame`). Throwing rejects that item alone. */
  encodeItem?(item: T): Uint8Array | string;
  /** How `encodeItem`'s pieces are joined into a body. @default no prefix, separator or suffix */
  readonly frame?: CodecFrame;
}

/** The names of the built-in codecs: `json` (a JSON array), `jsonl` (JSON Lines), `csv` (CSV lines). */
export type CodecName = 'json' | 'jsonl' | 'csv';
