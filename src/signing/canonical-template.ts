/**
 * A SigV4 canonical request with a hole where `x-amz-date` goes. Everything else in it (method,
 * canonical path, the sorted header lines, the signed-header list, the payload hash) is fixed
 * for one invocation input and credentials, so each attempt only splices in its date and hashes
 * the result. The header rules (what is never signed, what the signer generates) are
 * `@smithy/signature-v4`'s own constants; a request they would treat specially gets no template
 * and is signed by `SignatureV4` itself.
 */
import {
  ALWAYS_UNSIGNABLE_HEADERS,
  AMZ_DATE_HEADER,
  GENERATED_HEADERS,
  HOST_HEADER,
  PROXY_HEADER_PATTERN,
  SEC_HEADER_PATTERN,
  SHA256_HEADER,
  TOKEN_HEADER,
} from '@smithy/signature-v4';

/** The canonical request of one input, split around the value of `x-amz-date`. */
export interface CanonicalTemplate {
  /** Up to and including `x-amz-date:`. */
  readonly head: string;
  /** From the newline after the date to the payload hash. */
  readonly tail: string;
  /** `SignedHeaders=` of the Authorization header. */
  readonly signedHeaders: string;
}

/** Headers the signer sets itself: a request carrying its own is left to `SignatureV4`. */
const SET_BY_SIGNER = new Set<string>([...GENERATED_HEADERS, HOST_HEADER, SHA256_HEADER, TOKEN_HEADER]);
/** Whitespace the canonical form rewrites: a value without any is its own canonical value. */
const NEEDS_NORMALISING = /[\r\n\t]| {2}|^ | $/;

/** True when `SignatureV4` would sign the header as given, under its lower-case name, with no special treatment. */
export function isPlainSignedHeader(name: string, value: unknown): value is string {
  return (
    typeof value === 'string' &&
    name === name.toLowerCase() &&
    name !== '__proto__' &&
    !Object.hasOwn(ALWAYS_UNSIGNABLE_HEADERS, name) &&
    !PROXY_HEADER_PATTERN.test(name) &&
    !SEC_HEADER_PATTERN.test(name) &&
    !SET_BY_SIGNER.has(name)
  );
}

/** A header value in canonical form, by `@smithy/signature-v4`'s rule: CR/LF to spaces, runs of blanks to one, one leading and one trailing space dropped. */
export function canonicalHeaderValue(value: string): string {
  if (!NEEDS_NORMALISING.test(value)) return value;
  return value
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '');
}

/**
 * Builds the template of a request whose `headers` are final except `x-amz-date` (host,
 * payload hash and session token included), or `undefined` when a header is not plain.
 */
export function canonicalTemplate(
  method: string,
  canonicalPath: string,
  requestHeaders: Readonly<Record<string, string>>,
  signerHeaders: Readonly<Record<string, string>>,
  payloadHash: string,
): CanonicalTemplate | undefined {
  const values: Record<string, string> = {};
  for (const name in requestHeaders) {
    if (!Object.hasOwn(requestHeaders, name)) continue;
    const value = requestHeaders[name];
    if (!isPlainSignedHeader(name, value)) return undefined;
    values[name] = canonicalHeaderValue(value);
  }
  for (const name in signerHeaders) values[name] = canonicalHeaderValue(signerHeaders[name]!);
  const names = [...Object.keys(values), AMZ_DATE_HEADER].sort();
  const at = names.indexOf(AMZ_DATE_HEADER);
  const line = (name: string) => `${name}:${values[name]}`;
  const before = names.slice(0, at).map(line);
  const after = names.slice(at + 1).map(line);
  const signedHeaders = names.join(';');
  return {
    head: `${method}\n${canonicalPath}\n\n${before.length > 0 ? `${before.join('\n')}\n` : ''}${AMZ_DATE_HEADER}:`,
    tail: `${after.length > 0 ? `\n${after.join('\n')}` : ''}\n\n${signedHeaders}\n${payloadHash}`,
    signedHeaders,
  };
}
