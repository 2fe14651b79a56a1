/**
 * Verifies an AWS Signature Version 4 `Authorization` header the way the AWS front end does,
 * and names the error AWS answers when it does not hold. The signature is recomputed with
 * `@smithy/signature-v4` over only the headers listed in `SignedHeaders` (with the service of the
 * route: `sagemaker`, or `s3` for the object store), so unsigned extras
 * (`user-agent`, `amz-sdk-*`) never matter.
 * Spec: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { SIGNING_SERVICE } from '../../model/index.js';
import { MESSAGES } from '../constants.js';
import type { EmulatorCredential } from '../types.js';
import type { EmulatorErrorAnswer } from '../wire/error-response.js';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const TERMINATOR = 'aws4_request';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const SHA256_HEADER = 'x-amz-content-sha256';
const DATE_HEADER = 'x-amz-date';
const TOKEN_HEADER = 'x-amz-security-token';
const AMZ_DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** What the verifier needs of a request. */
export interface SignedRequestParts {
  method: string;
  /** The path as sent (URL-encoded), without the query. */
  path: string;
  /** Decoded query parameters. */
  query: Record<string, string | string[]>;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Uint8Array;
}

/** The emulator's verification settings. */
export interface SigV4VerifierOptions {
  region: string;
  credentials: readonly EmulatorCredential[];
  clockSkewMs: number;
  /** The service the credential scope must name: `sagemaker`, or `s3` for the emulator's object store. @default 'sagemaker' */
  service?: string;
  /** The server clock in ms. @default Date.now */
  now?: () => number;
}

/** Which check failed: S3 answers each with its own code, SageMaker's front end with the error's name. */
export type SigV4FailureReason = 'missing' | 'malformed' | 'unknown-key' | 'scope' | 'region' | 'skew' | 'content-hash' | 'signature';

/** The outcome: the accepted key, or the error to answer and the check that failed. */
export type SigV4Verdict = { ok: true; accessKeyId: string } | { ok: false; error: EmulatorErrorAnswer; reason: SigV4FailureReason };

interface ParsedAuthorization {
  accessKeyId: string;
  scopeDate: string;
  scopeRegion: string;
  scopeService: string;
  scopeTerminator: string;
  signedHeaders: string[];
  signature: string;
}

const fail = (name: EmulatorErrorAnswer['name'], message: string, reason: SigV4FailureReason): SigV4Verdict => ({ ok: false, error: { name, message }, reason });

/** Formats a time as a SigV4 basic ISO-8601 date (`20240101T000000Z`). */
export function toAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Parses `20240101T000000Z`; undefined when it is not that format. */
export function parseAmzDate(value: string): number | undefined {
  const m = AMZ_DATE_PATTERN.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  return Number.isNaN(ms) ? undefined : ms;
}

function parseAuthorization(header: string): ParsedAuthorization | EmulatorErrorAnswer {
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  const rest = space < 0 ? '' : header.slice(space + 1);
  if (algorithm !== ALGORITHM) {
    return { name: 'IncompleteSignatureException', message: `Unsupported Authorization Type. Authorization=${header}` };
  }
  const params: Record<string, string> = {};
  for (const part of rest.split(',')) {
    const pair = part.trim();
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq < 0) {
      return {
        name: 'IncompleteSignatureException',
        message: `'${pair}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`,
      };
    }
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders']
    .filter((k) => !params[k])
    .map((k) => `Authorization header requires '${k}' parameter.`);
  if (missing.length > 0) {
    return { name: 'IncompleteSignatureException', message: `${missing.join(' ')} Authorization=${header}` };
  }
  const credential = params['Credential']!.split('/');
  if (credential.length !== 5 || credential.some((c) => c === '')) {
    return {
      name: 'IncompleteSignatureException',
      message: `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${params['Credential']}'`,
    };
  }
  const [accessKeyId, scopeDate, scopeRegion, scopeService, scopeTerminator] = credential as [string, string, string, string, string];
  return {
    accessKeyId,
    scopeDate,
    scopeRegion,
    scopeService,
    scopeTerminator,
    signedHeaders: params['SignedHeaders']!.split(';').map((h) => h.trim().toLowerCase()),
    signature: params['Signature']!.toLowerCase(),
  };
}

function skewMessage(requestDate: string, requestMs: number, nowMs: number, skewMs: number): string | undefined {
  const minutes = `${Math.round(skewMs / 60_000)} min.`;
  if (requestMs < nowMs - skewMs) {
    return `Signature expired: ${requestDate} is now earlier than ${toAmzDate(nowMs - skewMs)} (${toAmzDate(nowMs)} - ${minutes})`;
  }
  if (requestMs > nowMs + skewMs) {
    return `Signature not yet current: ${requestDate} is still later than ${toAmzDate(nowMs + skewMs)} (${toAmzDate(nowMs)} + ${minutes})`;
  }
  return undefined;
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * One signer per service, region and key, kept: a signer holds nothing of a request, and making
 * one per request (its credential and region providers) was a large part of a signed request's
 * cost. Bounded, as the scope's service and region come from the request (though only the
 * emulator's own pass the scope checks before a signature is computed).
 */
const SIGNERS = new Map<string, SignatureV4>();
const MAX_SIGNERS = 64;

function signerFor(service: string, region: string, accessKeyId: string, secretAccessKey: string, sessionToken: string | undefined): SignatureV4 {
  const key = `${service}\n${region}\n${accessKeyId}\n${secretAccessKey}\n${sessionToken ?? ''}`;
  let signer = SIGNERS.get(key);
  if (signer === undefined) {
    signer = new SignatureV4({
      service,
      region,
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken !== undefined ? { sessionToken } : {}) },
      sha256: Sha256,
      // S3 signs the path as sent; every other service escapes it once more.
      uriEscapePath: service !== 's3',
      // The client chose whether to sign x-amz-content-sha256; never add it on our side.
      applyChecksum: false,
    });
    if (SIGNERS.size >= MAX_SIGNERS) SIGNERS.clear();
    SIGNERS.set(key, signer);
  }
  return signer;
}

/** Recomputes the signature of the request with the given key; lower-case hex. */
async function computeSignature(
  req: SignedRequestParts,
  auth: ParsedAuthorization,
  credential: EmulatorCredential,
  signingDate: Date,
): Promise<string | undefined> {
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    // Own headers only: `SignedHeaders=constructor` must not find Object.prototype's.
    const value = Object.hasOwn(req.headers, name) ? req.headers[name] : undefined;
    if (typeof value !== 'string') return undefined; // signed a header that did not arrive
    headers[name] = value;
  }
  // Only echo a token the client signed: the signer adds it to the canonical headers.
  const sessionToken = auth.signedHeaders.includes(TOKEN_HEADER) && credential.sessionToken ? credential.sessionToken : undefined;
  const signer = signerFor(auth.scopeService, auth.scopeRegion, credential.accessKeyId, credential.secretAccessKey, sessionToken);
  const host = headers['host'] ?? 'localhost';
  const signed = await signer.sign(
    { method: req.method, protocol: 'http:', hostname: host, path: req.path, query: req.query, headers, body: req.body },
    { signingDate, signableHeaders: new Set(auth.signedHeaders) },
  );
  const authorization = String(signed.headers['authorization'] ?? '');
  const m = /Signature=([0-9a-f]+)/.exec(authorization);
  const signedList = /SignedHeaders=([^,]+)/.exec(authorization)?.[1];
  // The signer always signs x-amz-date; a client that did not sign it cannot match.
  if (signedList !== [...auth.signedHeaders].sort().join(';')) return undefined;
  return m?.[1];
}

/**
 * Checks the request's SigV4 signature against the accepted keys. Order as AWS: missing or
 * garbled header, unknown key or token, credential scope, clock skew, payload hash, signature.
 */
export async function verifySigV4(req: SignedRequestParts, options: SigV4VerifierOptions): Promise<SigV4Verdict> {
  const header = req.headers['authorization'];
  if (header === undefined || header.trim() === '') return fail('MissingAuthenticationTokenException', MESSAGES.missingAuth, 'missing');
  const parsed = parseAuthorization(header.trim());
  if ('name' in parsed) return { ok: false, error: parsed, reason: 'malformed' };
  const service = options.service ?? SIGNING_SERVICE;

  const amzDate = req.headers[DATE_HEADER];
  if (amzDate === undefined) {
    return fail(
      'IncompleteSignatureException',
      `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${header}`,
      'malformed',
    );
  }
  const requestMs = parseAmzDate(amzDate);
  if (requestMs === undefined) {
    return fail(
      'IncompleteSignatureException',
      `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`,
      'malformed',
    );
  }

  const credential = options.credentials.find((c) => c.accessKeyId === parsed.accessKeyId);
  if (!credential) return fail('UnrecognizedClientException', MESSAGES.unrecognizedClient, 'unknown-key');
  const token = req.headers[TOKEN_HEADER];
  if (credential.sessionToken !== undefined ? token !== credential.sessionToken : token !== undefined) {
    return fail('UnrecognizedClientException', MESSAGES.unrecognizedClient, 'unknown-key');
  }

  if (parsed.scopeTerminator !== TERMINATOR) {
    return fail('InvalidSignatureException', `Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${parsed.scopeTerminator}'.`, 'scope');
  }
  if (parsed.scopeService !== service) {
    return fail('InvalidSignatureException', `Credential should be scoped to correct service: '${service}'. `, 'scope');
  }
  if (parsed.scopeRegion !== options.region) {
    return fail('InvalidSignatureException', `Credential should be scoped to a valid region, not '${parsed.scopeRegion}'. `, 'region');
  }
  if (parsed.scopeDate !== amzDate.slice(0, 8)) {
    return fail(
      'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parsed.scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      'scope',
    );
  }

  const now = (options.now ?? Date.now)();
  const skewed = skewMessage(amzDate, requestMs, now, options.clockSkewMs);
  if (skewed !== undefined) return fail('InvalidSignatureException', skewed, 'skew');

  const contentHash = req.headers[SHA256_HEADER];
  if (contentHash !== undefined && contentHash !== UNSIGNED_PAYLOAD) {
    const actual = createHash('sha256').update(req.body).digest('hex');
    if (!HEX_SHA256.test(contentHash) || contentHash.toLowerCase() !== actual) {
      return fail('InvalidSignatureException', MESSAGES.contentHashMismatch, 'content-hash');
    }
  }

  const expected = await computeSignature(req, parsed, credential, new Date(requestMs));
  if (expected === undefined || !constantTimeEqual(expected, parsed.signature)) {
    return fail('InvalidSignatureException', MESSAGES.badSignature, 'signature');
  }
  return { ok: true, accessKeyId: credential.accessKeyId };
}
