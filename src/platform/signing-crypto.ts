/**
 * The signer's synchronous hashes on Node: node:crypto, no Promise per digest. Bundlers that
 * honour the package's `browser` field use `signing-crypto.browser.ts` instead.
 */
import { createHash, createHmac } from 'node:crypto';
import type { SigningCrypto } from '../signing/signing-crypto.js';

/** node:crypto's SHA-256 and HMAC-SHA-256, hex out. */
export const SIGNING_CRYPTO: SigningCrypto | undefined = {
  sha256Hex: (data) => createHash('sha256').update(data).digest('hex'),
  hmacSha256Hex: (key, data) => createHmac('sha256', key).update(data).digest('hex'),
};
