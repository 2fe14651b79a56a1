/**
 * Reads a request body whole, up to the emulator's hard limit, without leaving the socket
 * half-read.
 */
import type { IncomingMessage } from 'node:http';

/** Reads the whole body; undefined when it passes `limit` bytes or the client leaves. */
export async function readBody(req: IncomingMessage, signal: AbortSignal, limit: number): Promise<{ body: Buffer; size: number } | { body: undefined; size: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    // Keep reading past the limit (dropping the bytes): leaving the loop would destroy the socket.
    for await (const chunk of req) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size <= limit) chunks.push(buf);
    }
  } catch {
    return { body: undefined, size };
  }
  return signal.aborted || size > limit ? { body: undefined, size } : { body: Buffer.concat(chunks), size };
}
