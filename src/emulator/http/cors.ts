/**
 * CORS for browsers that call the emulator directly (an Angular app on another loopback port).
 * AWS serves no CORS for SageMaker Runtime, so this is off unless `cors: true`; when on, the
 * emulator answers preflights and lets a page read the response headers the client reads.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The methods a page may use: the three operations (POST) and the async result objects (GET, HEAD). */
export const CORS_ALLOWED_METHODS = 'POST, GET, HEAD, OPTIONS';

/**
 * Request headers a page may send: what SigV4 signs and the AWS SDKs add, and the API's own.
 * A `*` ends a prefix. Anything else is left out of the preflight answer, so the browser
 * refuses it, as the service would strip it.
 */
export const CORS_ALLOWED_HEADERS: readonly string[] = ['authorization', 'content-type', 'accept', 'x-amz-*', 'x-amzn-sagemaker-*', 'amz-sdk-*'];

/** Response headers a page's script may read (what the client reads). */
export const CORS_EXPOSED_HEADERS: readonly string[] = [
  'x-amzn-RequestId',
  'x-amzn-ErrorType',
  'x-Amzn-Invoked-Production-Variant',
  'X-Amzn-SageMaker-Content-Type',
  'X-Amzn-SageMaker-Custom-Attributes',
  'X-Amzn-SageMaker-New-Session-Id',
  'X-Amzn-SageMaker-Closed-Session-Id',
  'X-Amzn-SageMaker-OutputLocation',
  'X-Amzn-SageMaker-FailureLocation',
  'Content-Length',
  'ETag',
  'Date',
];

/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** Whether a request header name is one a page may send. */
export function isCorsAllowedHeader(name: string): boolean {
  const lower = name.trim().toLowerCase();
  return CORS_ALLOWED_HEADERS.some((allowed) => (allowed.endsWith('*') ? lower.startsWith(allowed.slice(0, -1)) : lower === allowed));
}

/**
 * Sets the headers every answer carries when CORS is on. `setHeader` before `writeHead`, so the
 * error writer and every operation keep writing their own headers unchanged.
 */
export function setCorsHeaders(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  res.setHeader('Access-Control-Allow-Origin', origin ?? '*');
  if (origin !== undefined) res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS.join(', '));
}

/** Whether the request is a CORS preflight (an OPTIONS naming the method it asks for). */
export function isPreflight(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS';
}

/**
 * Answers a preflight with 204: the allowed methods, and of the requested headers those a page
 * may send (listed one by one: a `*` would not cover `authorization`).
 */
export function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  const requested = String(req.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  const allowed = requested.filter(isCorsAllowedHeader);
  res.writeHead(204, {
    'Access-Control-Allow-Methods': CORS_ALLOWED_METHODS,
    'Access-Control-Allow-Headers': allowed.join(', '),
    'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_SECONDS),
    Vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    'Content-Length': '0',
  });
  res.end();
}
