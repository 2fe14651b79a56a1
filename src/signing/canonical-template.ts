/**
 * The shape of a SigV4 canonical request, kept per endpoint path and header set: the method and
 * canonical path, the header names in canonical order split around `x-amz-date`, and the
 * signed-header list. An attempt only fills in the values (its date among them) and hashes the
 * result; nothing is sorted or checked again. The header rules (what is never signed, what the
 * signer generates) are `@smithy/signature-v4`'s own constants; a request they would treat
 * specially gets no layout and is signed by `SignatureV4` itself.
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

/** Where the value of a canonical header comes from. */
export enum HeaderSource {
  Request = 0,
  Host = 1,
  PayloadHash = 2,
  SessionToken = 3,
}

/** One request shape's canonical request, values left out. */
export interface CanonicalLayout {
  /** `METHOD\ncanonical path\n\n` (the query is always empty). */
  readonly prefix: string;
  /** Header names sorted before `x-amz-date`, and where each value comes from. */
  readonly before: readonly (readonly [string, HeaderSource])[];
  /** Header names sorted after `x-amz-date`. */
  readonly after: readonly (readonly [string, HeaderSource])[];
  /** `SignedHeaders=` of the Authorization header. */
  readonly signedHeaders: string;
}

/** Headers the signer sets itself: a request carrying its own is left to `SignatureV4`. */
const SET_BY_SIGNER = new Set<string>([...GENERATED_HEADERS, HOST_HEADER, SHA256_HEADER, TOKEN_HEADER]);
/** Whitespace the canonical form rewrites: a value without any is its own canonical value. */
const NEEDS_NORMALISING = /[\r\n\t]| {2}|^ | $/;

/** True when `SignatureV4` would sign a header of this name as given, with no special treatment. */
export function isPlainHeaderName(name: string): boolean {
  return (
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

/** The layout of requests with these header names (plus host, payload hash and, with a token, the token), or `undefined` when a name is not plain. */
export function canonicalLayout(method: string, canonicalPath: string, requestHeaderNames: readonly string[], withToken: boolean): CanonicalLayout | undefined {
  if (!requestHeaderNames.every(isPlainHeaderName)) return undefined;
  const sources = new Map<string, HeaderSource>(requestHeaderNames.map((name) => [name, HeaderSource.Request]));
  sources.set(HOST_HEADER, HeaderSource.Host);
  sources.set(SHA256_HEADER, HeaderSource.PayloadHash);
  if (withToken) sources.set(TOKEN_HEADER, HeaderSource.SessionToken);
  const names = [...sources.keys(), AMZ_DATE_HEADER].sort();
  const at = names.indexOf(AMZ_DATE_HEADER);
  const entry = (name: string) => [name, sources.get(name)!] as const;
  return {
    prefix: `${method}\n${canonicalPath}\n\n`,
    before: names.slice(0, at).map(entry),
    after: names.slice(at + 1).map(entry),
    signedHeaders: names.join(';'),
  };
}
