/**
 * `Body` handling shared by validation and serialization: what counts as a body, its size in
 * bytes without encoding it, and its bytes without copying.
 */
import type { BodyInput } from '../model/shapes.js';

/** True when `value` is one of the accepted body types: string, ArrayBuffer or an ArrayBuffer view. */
export function isBodyInput(value: unknown): value is BodyInput {
  return typeof value === 'string' || ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

/** The UTF-8 length of a string in bytes, counted without encoding it (a lone surrogate counts as U+FFFD). */
export function utf8ByteLength(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** The size of a body in bytes, as it will go on the wire. */
export function bodyByteLength(body: BodyInput): number {
  return typeof body === 'string' ? utf8ByteLength(body) : body.byteLength;
}

const encoder = new TextEncoder();

/** The body's bytes: strings encoded as UTF-8; ArrayBuffers and views wrapped, never copied. */
export function bodyBytes(body: BodyInput | undefined): Uint8Array {
  if (body === undefined) return new Uint8Array(0);
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  return new Uint8Array(body);
}

/** Joins the chunks of a body read piece by piece (`size` = their total length); a lone chunk is returned as it is. */
export function concatBytes(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
