/**
 * CRC-32 (IEEE 802.3, the zlib polynomial), used only to check an event-stream prelude as soon
 * as its 12 bytes arrive. `@smithy/eventstream-codec` checks both CRCs of a whole frame, but only
 * after the frame's `total_length` bytes have been buffered; a prelude whose length field is
 * corrupted must be rejected before we trust that length (or allocate it). The codec does not
 * export its CRC, so this is the one piece written by hand.
 */

const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** Returns the CRC-32 of `bytes` as an unsigned 32-bit integer. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
