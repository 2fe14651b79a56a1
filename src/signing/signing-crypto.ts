/**
 * The synchronous SHA-256 and HMAC-SHA-256 the template signer runs on. Node's crypto offers
 * them (`platform/signing-crypto.ts`); WebCrypto does not, so browsers sign through
 * `SignatureV4` with its asynchronous hash instead.
 */
export interface SigningCrypto {
  /** Lower-case hex SHA-256 of a UTF-8 string or of bytes. */
  sha256Hex(data: string | Uint8Array): string;
  /** Lower-case hex HMAC-SHA-256 of a UTF-8 string under a key. */
  hmacSha256Hex(key: Uint8Array, data: string): string;
}
