/**
 * The output `Body` of the Promise twins as the AWS SDK v3 gives it: the response bytes (a
 * `Uint8Array`, not copied) that also answer `transformToString(encoding?)`, so
 * `out.Body.transformToString()` moves over unchanged.
 */

/** A response body: its bytes, plus the SDK's `transformToString`. */
export type OutputBody = Uint8Array & {
  /** Decodes the bytes: UTF-8 by default, `base64`, or any label `TextDecoder` knows (`utf-16le`, `latin1`…). */
  transformToString(encoding?: string): string;
};

/** Adds `transformToString` to the bytes (a non-enumerable own method, so the bytes compare as before). */
export function toOutputBody(bytes: Uint8Array): OutputBody {
  if (typeof (bytes as Partial<OutputBody>).transformToString === 'function') return bytes as OutputBody;
  Object.defineProperty(bytes, 'transformToString', {
    value: (encoding = 'utf-8') => decode(bytes, encoding),
    enumerable: false,
    configurable: true,
    writable: true,
  });
  return bytes as OutputBody;
}

function decode(bytes: Uint8Array, encoding: string): string {
  if (encoding.toLowerCase() === 'base64') {
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  }
  return new TextDecoder(encoding).decode(bytes);
}
