/**
 * What is sent for a record and how the answer comes back as JSON text: the payload keeps the
 * record's own spelling where it is JSON (a whole record is sent as its line, a non-string field
 * as its raw text), and the answer keeps the model's spelling when it is one line of JSON.
 */
import { csvCodec, jsonArrayCodec, jsonLinesCodec, type Codec, type CodecName, type InvokeEndpointOutput } from '../index.js';
import { valueAtPath, type FieldPath } from './field-path.js';
import { rawValueAt } from './json-text.js';

/** What one record sends: its value (for a custom codec) and its JSON text (for the built-in ones). */
export interface RecordPayload {
  /** The parsed value sent: the field, or the whole record. */
  readonly value: unknown;
  /** The value as JSON text, in the record's own spelling. */
  readonly json: string;
}

/** The payload of a record; throws an `Error` saying which step of `field` is missing. */
export function payloadOf(line: string, parsed: unknown, field: FieldPath | undefined): RecordPayload {
  if (field === undefined) return { value: parsed, json: line.trim() };
  const value = valueAtPath(parsed, field);
  // A string is sent as the string; anything else as its raw text, so big numbers reach the model intact.
  return { value, json: typeof value === 'string' ? JSON.stringify(value) : (rawValueAt(line, field) ?? JSON.stringify(value)) };
}

/** The body and content type of one invocation (one record): text for a string payload, JSON otherwise. */
export function singleBody(payload: RecordPayload): { Body: string; ContentType: string } {
  return typeof payload.value === 'string'
    ? { Body: payload.value, ContentType: 'text/plain' }
    : { Body: payload.json, ContentType: 'application/json' };
}

/**
 * A built-in codec over payloads: JSON and JSON Lines batches are framed from each payload's own
 * JSON text; CSV sends a string payload as one field quoted per RFC 4180 (free text with commas,
 * quotes or line breaks stays one field), an array as its fields, anything else as its JSON text.
 */
export function payloadCodec(name: CodecName): Codec<RecordPayload, unknown> {
  if (name === 'csv') {
    const csv = csvCodec();
    const fields = (p: RecordPayload) => (typeof p.value === 'string' ? [p.value] : Array.isArray(p.value) ? (p.value as string[]) : [p.json]);
    return {
      contentType: csv.contentType,
      ...(csv.accept !== undefined ? { accept: csv.accept } : {}),
      ...(csv.frame ? { frame: csv.frame } : {}),
      encodeItem: (p) => csv.encodeItem!(fields(p)),
      encode: (items) => csv.encode(items.map(fields)),
      decode: (output, items) => csv.decode(output, items.map(fields)),
    };
  }
  const base = name === 'json' ? jsonArrayCodec() : jsonLinesCodec();
  const frame = base.frame ?? {};
  return {
    contentType: base.contentType,
    ...(base.accept !== undefined ? { accept: base.accept } : {}),
    frame,
    encodeItem: (p) => p.json,
    encode: (items) => (frame.prefix ?? '') + items.map((p) => p.json).join(frame.separator ?? '') + (frame.suffix ?? ''),
    decode: (output, items) => base.decode(output, items as unknown[]),
  };
}

/** `codec` over items of another type, each mapped to what `codec` takes by `pick`. */
export function mapCodec<A, B, R>(codec: Codec<A, R>, pick: (item: B) => A): Codec<B, R> {
  const encodeItem = codec.encodeItem?.bind(codec);
  return {
    contentType: codec.contentType,
    ...(codec.accept !== undefined ? { accept: codec.accept } : {}),
    ...(codec.frame ? { frame: codec.frame } : {}),
    ...(encodeItem ? { encodeItem: (item: B) => encodeItem(pick(item)) } : {}),
    encode: (items) => codec.encode(items.map(pick)),
    decode: (output, items) => codec.decode(output, items.map(pick)),
  };
}

/** A custom codec over payload values. */
export function valueCodec(codec: Codec<unknown, unknown>): Codec<RecordPayload, unknown> {
  return mapCodec(codec, (p: RecordPayload) => p.value);
}

/** The body of a response as text. */
function bodyText(output: InvokeEndpointOutput): string {
  return Buffer.from(output.Body.buffer, output.Body.byteOffset, output.Body.byteLength).toString('utf8');
}

/**
 * The answer of one invocation as one line of JSON text: a JSON body on one line as the model
 * wrote it; JSON on several lines (pretty-printed, or JSON Lines → an array) re-serialised; any
 * other body as a JSON string.
 */
export function answerText(output: InvokeEndpointOutput): string {
  const text = bodyText(output);
  const type = (output.ContentType ?? '').toLowerCase();
  if (!type.includes('json')) return JSON.stringify(text);
  const trimmed = text.trim();
  try {
    const value: unknown = JSON.parse(trimmed);
    return /[\r\n]/.test(trimmed) ? JSON.stringify(value) : trimmed;
  } catch {
    const lines = trimmed.split(/\r?\n/).filter((l) => l.trim() !== '');
    try {
      return JSON.stringify(lines.map((l) => JSON.parse(l) as unknown));
    } catch {
      return JSON.stringify(text);
    }
  }
}

/** A decoded batch answer as JSON text (`null` for a value JSON cannot hold). */
export function valueText(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}
