/**
 * Cuts a streamed body into PayloadParts at chosen byte positions, so clients' reassembly of
 * lines and UTF-8 characters across part boundaries can be tested.
 */
import type { Random } from '../endpoints/prng.js';
import type { SplitAt } from '../types.js';

/** Most bytes in one random part. */
const MAX_RANDOM_PART = 8;

/** Byte offsets inside every multi-byte UTF-8 character (one byte after its lead byte). */
export function utf8InsideOffsets(bytes: Uint8Array): number[] {
  const offsets: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! >= 0xc0) offsets.push(i + 1);
  }
  return offsets;
}

/** Cuts `bytes` at the given offsets (ignoring 0, the end, duplicates and out-of-range ones). */
export function cutAt(bytes: Uint8Array, offsets: readonly number[]): Buffer[] {
  const cuts = [...new Set(offsets.filter((o) => Number.isInteger(o) && o > 0 && o < bytes.length))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (cut > start) parts.push(Buffer.from(bytes.subarray(start, cut)));
    start = cut;
  }
  return parts;
}

/**
 * Splits a body into parts: at `splitAt` offsets, at random offsets (1–8 bytes apart, from
 * `random`), or inside every multi-byte character as well as at the `natural` boundaries
 * (token ends). Without `splitAt`, at the natural boundaries only.
 */
export function splitPayload(bytes: Uint8Array, splitAt: SplitAt | undefined, random: Random, natural: readonly number[] = []): Buffer[] {
  if (bytes.length === 0) return [];
  if (splitAt === undefined) return cutAt(bytes, natural);
  if (splitAt === 'utf8-inside') return cutAt(bytes, [...natural, ...utf8InsideOffsets(bytes)]);
  if (splitAt === 'random') {
    const offsets: number[] = [];
    for (let at = 1 + Math.floor(random() * MAX_RANDOM_PART); at < bytes.length; at += 1 + Math.floor(random() * MAX_RANDOM_PART)) {
      offsets.push(at);
    }
    return cutAt(bytes, offsets);
  }
  return cutAt(bytes, splitAt);
}

/** The end offsets of consecutive parts (the natural boundaries of a list of chunks). */
export function boundariesOf(parts: readonly Uint8Array[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const p of parts) {
    at += p.length;
    out.push(at);
  }
  return out;
}
