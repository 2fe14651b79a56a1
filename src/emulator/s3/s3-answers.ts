/**
 * How the emulator's object store answers, in S3's REST dialect: XML error bodies with S3's
 * codes (`NoSuchKey`, `SignatureDoesNotMatch`, …) and `x-amz-request-id`, and the object
 * headers `GetObject`/`HeadObject` answer (`ETag`, `Last-Modified`, `Content-Length`).
 */
import type { ServerResponse } from 'node:http';
import type { SigV4FailureReason, SigV4Verdict } from '../auth/sigv4-verifier.js';
import type { StoredObjectEntry } from './object-store.js';

/** An S3 error: status, code and message. */
export interface S3ErrorAnswer {
  status: number;
  code: string;
  message: string;
  /** Extra elements of the `<Error>` document (`Key`, `BucketName`). */
  extra?: Record<string, string>;
}

/** S3's answer to each failed SigV4 check (S3 words them differently from SageMaker's front end). */
const AUTH_ERRORS: Readonly<Record<SigV4FailureReason, Omit<S3ErrorAnswer, 'message'> & { message?: string }>> = {
  missing: { status: 403, code: 'AccessDenied', message: 'Access Denied' },
  malformed: { status: 400, code: 'AuthorizationHeaderMalformed' },
  'unknown-key': { status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' },
  scope: { status: 400, code: 'AuthorizationHeaderMalformed' },
  region: { status: 400, code: 'AuthorizationHeaderMalformed' },
  skew: { status: 403, code: 'RequestTimeTooSkewed', message: 'The difference between the request time and the current time is too large.' },
  'content-hash': { status: 400, code: 'XAmzContentSHA256Mismatch', message: "The provided 'x-amz-content-sha256' header does not match what was computed." },
  signature: {
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  },
};

/** The S3 error for a failed signature check. */
export function s3AuthError(verdict: Extract<SigV4Verdict, { ok: false }>): S3ErrorAnswer {
  const shape = AUTH_ERRORS[verdict.reason];
  return { status: shape.status, code: shape.code, message: shape.message ?? verdict.error.message ?? shape.code };
}

const escapeXml = (text: string): string =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/** Writes an S3 error: an XML `<Error>` document (no body for HEAD, as S3). Returns the status. */
export function writeS3Error(res: ServerResponse, requestId: string, answer: S3ErrorAnswer, head: boolean): number {
  const extra = Object.entries(answer.extra ?? {})
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join('');
  const xml = Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${answer.code}</Code><Message>${escapeXml(answer.message)}</Message>${extra}<RequestId>${requestId}</RequestId></Error>`,
    'utf8',
  );
  res.writeHead(answer.status, {
    'x-amz-request-id': requestId,
    'Content-Type': 'application/xml',
    'Content-Length': String(head ? 0 : xml.length),
  });
  res.end(head ? undefined : xml);
  return answer.status;
}

/** Writes a stored object (its headers only for HEAD). */
export function writeObject(res: ServerResponse, requestId: string, object: StoredObjectEntry, head: boolean): number {
  res.writeHead(200, {
    'x-amz-request-id': requestId,
    'Content-Type': object.contentType,
    'Content-Length': String(object.body.length),
    ETag: object.etag,
    'Last-Modified': object.lastModified.toUTCString(),
    'Accept-Ranges': 'bytes',
  });
  res.end(head ? undefined : object.body);
  return 200;
}

/** Answers a stored `PutObject` with its `ETag`. */
export function writePutAnswer(res: ServerResponse, requestId: string, object: StoredObjectEntry): number {
  res.writeHead(200, { 'x-amz-request-id': requestId, ETag: object.etag, 'Content-Length': '0' });
  res.end();
  return 200;
}
