/**
 * How `enrich` turns records into request bodies and answers back into records: the field sent,
 * the answer decoded by its content type, and the enriched record written out.
 */
import type { InvokeEndpointOutput } from '../model/shapes.js';

/** A plain JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What is sent for a record: the `field` member of an object record, or the whole record. Throws if the field is missing. */
export function payloadOf(record: unknown, field: string | undefined): unknown {
  if (field === undefined) return record;
  if (!isPlainObject(record)) throw new Error(`the record is not a JSON object, so it has no field "${field}"`);
  if (!Object.hasOwn(record, field) || record[field] === undefined) throw new Error(`the record has no field "${field}"`);
  return record[field];
}

/** The body of one invocation: a string payload as is, anything else as JSON. */
export function bodyOf(payload: unknown): string {
  return typeof payload === 'string' ? payload : JSON.stringify(payload);
}

/** The content type of one invocation when none is given: text for a string payload, JSON otherwise. */
export function defaultContentType(payload: unknown): string {
  return typeof payload === 'string' ? 'text/plain' : 'application/json';
}

/**
 * The model's answer as a value: parsed JSON when the response's content type is JSON (JSON
 * Lines of several lines → an array), else the body as text. JSON that does not parse is kept as text.
 */
export function decodeAnswer(output: InvokeEndpointOutput): unknown {
  const text = Buffer.from(output.Body.buffer, output.Body.byteOffset, output.Body.byteLength).toString('utf8');
  const type = (output.ContentType ?? '').toLowerCase();
  if (!type.includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    try {
      return lines.map((l) => JSON.parse(l) as unknown);
    } catch {
      return text;
    }
  }
}

/** The output record: an object record with the answer added under `as`; any other record as `{ input, [as] }`. */
export function enrichedRecord(record: unknown, as: string, answer: unknown): Record<string, unknown> {
  return isPlainObject(record) ? { ...record, [as]: answer } : { input: record, [as]: answer };
}
