/**
 * Streamed request bodies for the Promise twins, which take every body the AWS SDK v3 takes on
 * Node and in browsers: a `Blob`, a web `ReadableStream`, or a Node `Readable` (any async iterable
 * of bytes or strings). The body is read once, up to the operation's limit, before the first
 * attempt, so every retry sends the same bytes; a longer one is an `InvalidRequestError` naming
 * `Body` and the limit, and its stream is cancelled. Recognised by shape, so the core needs no
 * Node import.
 */
import { InvalidRequestError } from '../errors/client-errors.js';

/** A body that arrives over time. */
export type StreamedBody = Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>;

/** True for a `Blob`, a web `ReadableStream` or an async iterable (a Node `Readable`). */
export function isStreamedBody(value: unknown): value is StreamedBody {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return false;
  if (typeof Blob !== 'undefined' && value instanceof Blob) return true;
  return typeof (value as ReadableStream).getReader === 'function' || typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

const encoder = new TextEncoder();

/** Reads a streamed body whole; rejects with `InvalidRequestError` past `maxBytes` (the stream is cancelled). */
export async function readStreamedBody(body: StreamedBody, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = (seen: number) =>
    new InvalidRequestError({ member: 'Body', rule: `must be at most ${maxBytes.toLocaleString('en-US')} bytes (the stream gave at least ${seen.toLocaleString('en-US')})` });
  if (typeof Blob !== 'undefined' && body instanceof Blob) {
    if (body.size > maxBytes) throw tooLarge(body.size);
    return new Uint8Array(await body.arrayBuffer());
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const add = (chunk: Uint8Array | string) => {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    size += bytes.byteLength;
    if (size > maxBytes) return false;
    chunks.push(bytes);
    return true;
  };
  if (typeof (body as ReadableStream).getReader === 'function') {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!add(value)) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(size);
      }
    }
  } else {
    const iterable = body as AsyncIterable<Uint8Array | string> & { destroy?: () => void };
    for await (const chunk of iterable) {
      // Leaving the loop early returns the iterator, which destroys a Node Readable.
      if (!add(chunk)) throw tooLarge(size);
    }
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/**
 * Returns `input` with a streamed `Body` read into bytes (up to `maxBytes`), or `input` itself.
 */
export async function withReadBody<I extends { Body?: unknown }>(input: I, maxBytes: number): Promise<I> {
  if (!isStreamedBody(input?.Body)) return input;
  return { ...input, Body: await readStreamedBody(input.Body, maxBytes) };
}
