/**
 * Reading a response body whole, bounded: a body larger than the operation's cap is a
 * `ResponseTooLargeError`, found from `content-length` before anything is read when the length
 * is announced, else when the running total passes the cap (reading stops there and the
 * connection is released). A server cannot make the client buffer more than the cap.
 */
import { ResponseTooLargeError } from '../errors/client-errors.js';
import type { ResponseMetadata } from '../errors/sagemaker-runtime-error.js';
import type { TransportResponse } from '../transport/transport.js';
import { concatBytes } from '../protocol/body.js';

/** Reads `response.body` whole; throws `ResponseTooLargeError` (with `$metadata()`) past `limit` bytes. */
export async function readBody(response: TransportResponse, limit: number, $metadata: () => ResponseMetadata = () => ({})): Promise<Uint8Array> {
  const announced = response.headers['content-length'];
  // A decoded body (fetch undoes gzip) may be larger than the length on the wire: count it instead.
  const exact = announced !== undefined && /^\d+$/.test(announced) && response.headers['content-encoding'] === undefined;
  if (exact) {
    const size = Number(announced);
    if (size > limit) throw tooLarge(limit, size, $metadata);
    return response.body.bytes();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(limit, undefined, $metadata); // leaving the loop releases the socket
    chunks.push(chunk);
  }
  return concatBytes(chunks, size);
}

function tooLarge(limit: number, size: number | undefined, $metadata: () => ResponseMetadata): ResponseTooLargeError {
  const told = size === undefined ? '' : ` (content-length ${size})`;
  return new ResponseTooLargeError({
    subject: 'body',
    limit,
    size,
    $metadata: $metadata(),
    message: `response body larger than maxResponseBytes, ${limit} bytes${told}; reading stopped`,
  });
}
