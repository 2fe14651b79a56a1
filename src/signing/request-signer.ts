/**
 * SigV4 signing of one attempt on `@smithy/signature-v4`'s primitives (service `sagemaker`).
 *
 * With synchronous hashes (node:crypto, given as `crypto`), an attempt costs what SigV4 itself
 * costs: one SHA-256 of the canonical request and one HMAC. The canonical request is filled in
 * from a layout kept per path and header set (`canonical-template.ts`: nothing sorted or checked
 * per request); the payload hash is computed once per input; the signing key is derived by smithy's
 * `getSigningKey` and kept per day, region and credentials; the canonical path is smithy's,
 * memoised per path; the scope is smithy's `createScope`. Anything the template does not cover
 * (a header the signer treats specially, odd credentials, no synchronous hash as in browsers)
 * is signed by `SignatureV4.sign()` itself, which stays the reference: a property test holds
 * both to the same `Authorization`, byte for byte.
 */
import { Sha256 } from '@smithy/core/checksum';
import { ALGORITHM_IDENTIFIER, createScope, getSigningKey, SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentials } from '../credentials/aws-credentials.js';
import { SIGNING_SERVICE } from '../model/index.js';
import { canonicalHeaderValue, canonicalLayout, HeaderSource, type CanonicalLayout } from './canonical-template.js';
import type { SigningCrypto } from './signing-crypto.js';
import { USER_AGENT } from './user-agent.js';

/** A SHA-256 constructor as `@smithy/signature-v4` takes it (with a key, an HMAC). */
export type Sha256Constructor = new (secret?: string | Uint8Array) => {
  update(data: string | Uint8Array): void;
  digest(): Promise<Uint8Array>;
};

/** What to sign: the full URL's parts and the serialized request. */
export interface SignableRequest {
  readonly method: string;
  /** The endpoint URL; its host becomes the signed `host` header. */
  readonly endpoint: URL;
  /** The full path, the endpoint's base path included. */
  readonly path: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The hex SHA-256 of the body, from `payloadHash`. */
  readonly payloadHash: string;
}

/** Signs attempts for one client. */
export interface RequestSigner {
  /**
   * Returns the headers to send: the request's, plus `host`, `x-amz-date`,
   * `x-amz-content-sha256`, `x-amz-security-token` (session credentials), `authorization`
   * and `user-agent`. Rejects with the credential resolver's `CredentialsError`.
   */
  sign(request: SignableRequest, signingDate?: Date): Promise<Record<string, string>>;
  /** The hex SHA-256 of a body: compute it once per invocation input. */
  payloadHash(body: Uint8Array): Promise<string>;
}

/** Options of `createRequestSigner`. */
export interface RequestSignerOptions {
  /** The signing region: the client's region. */
  region: string;
  /** The client's memoised credentials (`createCredentialResolver`). */
  credentials: () => Promise<AwsCredentials>;
  /** @default Sha256 from @smithy/core/checksum (node:crypto on Node, WebCrypto in browsers) */
  sha256?: Sha256Constructor;
  /**
   * Synchronous hashes for the template signer; without them every attempt is signed by
   * `SignatureV4.sign()`. The client passes node:crypto's on Node.
   */
  crypto?: SigningCrypto;
  /** @default 'sagemaker-rx/<version>' */
  userAgent?: string;
  /** The signing service: `sagemaker`, or `s3` to read async results (S3 signs the path as sent). @default 'sagemaker' */
  service?: string;
}

/** A signing key with what it was derived from. */
interface SigningKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string | undefined;
  readonly shortDate: string;
  /** `createScope(shortDate, region, 'sagemaker')`. */
  readonly scope: string;
  readonly key: Uint8Array;
}

/** Bound on the memos of canonical paths and layouts (one per endpoint name and operation in practice). */
const MAX_MEMOISED = 1024;
/** `SignatureV4.sign()`'s own `Error` for credentials without string keys. */
const hasStringKeys = (c: AwsCredentials | undefined): c is AwsCredentials =>
  typeof c === 'object' && c !== null && typeof c.accessKeyId === 'string' && typeof c.secretAccessKey === 'string';

/**
 * Creates the signer of one client: one `SignatureV4` (service `sagemaker`, URI path escaping
 * and `x-amz-content-sha256` on, as the AWS SDK signs SageMaker Runtime requests), and with
 * `crypto` the template signer in front of it.
 */
export function createRequestSigner({
  region,
  credentials,
  sha256 = Sha256 as Sha256Constructor,
  crypto,
  userAgent = USER_AGENT,
  service = SIGNING_SERVICE,
}: RequestSignerOptions): RequestSigner {
  const signer = new SignatureV4({ service, region, sha256: sha256 as never, uriEscapePath: service !== 's3', applyChecksum: true, credentials });

  const signWithSignatureV4 = async (request: SignableRequest, signingDate: Date): Promise<Record<string, string>> => {
    const headers: Record<string, string> = { ...request.headers, host: request.endpoint.host, 'x-amz-content-sha256': request.payloadHash };
    const signed = await signer.sign(
      {
        method: request.method,
        protocol: request.endpoint.protocol,
        hostname: request.endpoint.hostname,
        port: request.endpoint.port === '' ? undefined : Number(request.endpoint.port),
        path: request.path,
        query: {},
        headers,
      },
      { signingDate },
    );
    const out = { ...(signed.headers as Record<string, string>) };
    out['user-agent'] = userAgent;
    return out;
  };

  // smithy's getCanonicalPath is not in its typings; without it, every request takes the reference path.
  const smithyCanonicalPath = (signer as unknown as { getCanonicalPath?: (request: { path: string }) => string }).getCanonicalPath;
  if (!crypto || typeof smithyCanonicalPath !== 'function') {
    return { sign: (request, signingDate = new Date()) => signWithSignatureV4(request, signingDate), payloadHash: (body) => hashWith(sha256, body) };
  }
  const hashes = crypto;

  const paths = new Map<string, string>();
  const canonicalPath = (path: string): string => {
    let canonical = paths.get(path);
    if (canonical === undefined) {
      if (paths.size >= MAX_MEMOISED) paths.clear();
      canonical = smithyCanonicalPath.call(signer, { path });
      paths.set(path, canonical);
    }
    return canonical;
  };

  // The basic ISO 8601 date of the last second signed, as smithy formats it.
  let lastSecond = Number.NaN;
  let lastLongDate = '';
  const longDateOf = (date: Date): string => {
    const second = Math.floor(date.getTime() / 1000);
    if (second !== lastSecond) {
      lastLongDate = date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
      lastSecond = second;
    }
    return lastLongDate;
  };

  // The signing key and scope of the last day and credentials signed with: a hit costs no await.
  let cached: SigningKey | undefined;
  const cachedKey = (c: AwsCredentials, shortDate: string): SigningKey | undefined =>
    cached !== undefined && cached.shortDate === shortDate && cached.accessKeyId === c.accessKeyId && cached.secretAccessKey === c.secretAccessKey && cached.sessionToken === c.sessionToken
      ? cached
      : undefined;
  const deriveKey = async (c: AwsCredentials, shortDate: string): Promise<SigningKey> => {
    const derived = await getSigningKey(sha256 as never, c, shortDate, region, service);
    cached = { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, shortDate, scope: createScope(shortDate, region, service), key: derived };
    return cached;
  };

  // Layouts by method, path, token or not, and the request's header names in their order; the
  // last one used is checked first, name by name, without building its key.
  const layouts = new Map<string, CanonicalLayout | null>();
  let last: { method: string; path: string; withToken: boolean; names: string[]; layout: CanonicalLayout | null } | undefined;
  const sameAsLast = (request: SignableRequest, withToken: boolean): boolean => {
    if (last === undefined || last.method !== request.method || last.path !== request.path || last.withToken !== withToken) return false;
    let i = 0;
    for (const name in request.headers) if (last.names[i++] !== name) return false;
    return i === last.names.length;
  };
  const layoutFor = (request: SignableRequest, withToken: boolean): CanonicalLayout | undefined => {
    if (sameAsLast(request, withToken)) return last!.layout ?? undefined;
    const names = Object.keys(request.headers);
    const key = `${request.method} ${request.path} ${withToken ? 't' : '-'}\n${names.join('\n')}`;
    let layout = layouts.get(key);
    if (layout === undefined) {
      if (layouts.size >= MAX_MEMOISED) layouts.clear();
      layout = canonicalLayout(request.method, canonicalPath(request.path), names, withToken) ?? null;
      layouts.set(key, layout);
    }
    last = { method: request.method, path: request.path, withToken, names, layout };
    return layout ?? undefined;
  };

  return {
    async sign(request, signingDate = new Date()) {
      const c = await credentials();
      // Odd credentials (the reference rejects them), or a token smithy would not sign as given.
      if (!hasStringKeys(c) || (c.sessionToken !== undefined && typeof c.sessionToken !== 'string')) return signWithSignatureV4(request, signingDate);
      const sessionToken = c.sessionToken || undefined;
      const layout = layoutFor(request, sessionToken !== undefined);
      if (!layout) return signWithSignatureV4(request, signingDate);
      const host = request.endpoint.host;
      const valueOf = (name: string, source: HeaderSource): string | undefined =>
        source === HeaderSource.Request ? request.headers[name] : source === HeaderSource.Host ? host : source === HeaderSource.PayloadHash ? request.payloadHash : sessionToken;
      let head = layout.prefix;
      for (const [name, source] of layout.before) {
        const value = valueOf(name, source);
        // smithy skips a header without a value; the reference signs what that leaves.
        if (typeof value !== 'string') return signWithSignatureV4(request, signingDate);
        head += `${name}:${canonicalHeaderValue(value)}\n`;
      }
      let tail = '';
      for (const [name, source] of layout.after) {
        const value = valueOf(name, source);
        if (typeof value !== 'string') return signWithSignatureV4(request, signingDate);
        tail += `\n${name}:${canonicalHeaderValue(value)}`;
      }
      const longDate = longDateOf(signingDate);
      const shortDate = longDate.slice(0, 8);
      const signing = cachedKey(c, shortDate) ?? (await deriveKey(c, shortDate));
      const hashedRequest = hashes.sha256Hex(`${head}x-amz-date:${longDate}${tail}\n\n${layout.signedHeaders}\n${request.payloadHash}`);
      const signature = hashes.hmacSha256Hex(signing.key, `${ALGORITHM_IDENTIFIER}\n${longDate}\n${signing.scope}\n${hashedRequest}`);
      // The one header object of the attempt, copied name by name: a spread copy of the request's
      // headers (an object built key by key) cost about 5 µs a request more, measured.
      const out: Record<string, string> = {};
      for (const name in request.headers) out[name] = request.headers[name]!;
      out['host'] = host;
      out['x-amz-content-sha256'] = request.payloadHash;
      out['x-amz-date'] = longDate;
      if (sessionToken !== undefined) out['x-amz-security-token'] = sessionToken;
      out['authorization'] = `${ALGORITHM_IDENTIFIER} Credential=${c.accessKeyId}/${signing.scope}, SignedHeaders=${layout.signedHeaders}, Signature=${signature}`;
      out['user-agent'] = userAgent;
      return out;
    },
    async payloadHash(body) {
      return hashes.sha256Hex(body);
    },
  };
}

async function hashWith(sha256: Sha256Constructor, body: Uint8Array): Promise<string> {
  const hash = new sha256();
  hash.update(body);
  return toHex(await hash.digest());
}

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}
