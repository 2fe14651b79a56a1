/**
 * Browsers and edge runtimes have no synchronous SHA-256: the signer then signs every request
 * through `SignatureV4` over WebCrypto.
 */
import type { SigningCrypto } from '../signing/signing-crypto.js';

/** None in browsers. */
export const SIGNING_CRYPTO: SigningCrypto | undefined = undefined;
