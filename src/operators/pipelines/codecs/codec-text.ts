/** UTF-8 helpers shared by the built-in codecs. Internal. */
import type { InvokeEndpointOutput } from '../../../model/shapes.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The UTF-8 bytes of a string, or the bytes as given. */
export function toBytes(value: Uint8Array | string): Uint8Array {
  return typeof value === 'string' ? encoder.encode(value) : value;
}

/** The response body as text (UTF-8, a BOM dropped). */
export function bodyText(output: InvokeEndpointOutput): string {
  return decoder.decode(output.Body);
}

/** `JSON.stringify`, but throwing when the value has no JSON form (`undefined`, a function, a symbol). */
export function stringifyJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`the item has no JSON form (${typeof value})`);
  return text;
}
