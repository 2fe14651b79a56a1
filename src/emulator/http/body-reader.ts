/**
 * Reads a request body whole, up to the emulator's hard limit, without leaving the socket
 * half-read. Plain `data`/`end` listeners: an async iterator over the request costs more than a
 * small body's whole read.
 */
import type { IncomingMessage } from 'node:http';

/** What was read: the body, or undefined when it passed the limit or the request broke off. */
export type BodyRead = { body: Buffer; size: number } | { body: undefined; size: number };

/** Reads the whole body; undefined when it passes `limit` bytes or the request ends before its body did. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Keep reading past the limit (dropping the bytes): stopping would leave the socket half-read.
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    };
    // Whichever of end, error or close comes first settles the read; the others find it settled.
    const onEnd = () => resolve(size > limit ? { body: undefined, size } : { body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), size });
    const onBroken = () => resolve({ body: undefined, size });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onBroken);
    req.on('close', onBroken);
  });
}
