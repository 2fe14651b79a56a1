/**
 * Request serialization: an operation's validated input to
 * its path, header map and body bytes, as `@aws-sdk/client-sagemaker-runtime` builds them.
 */
import { bodyBytes } from './body.js';
import type { BodyInput } from '../model/shapes.js';
import { DEFAULT_CONTENT_TYPE, REQUEST_HEADERS, operationPath, type OperationName } from '../model/index.js';

/** An unsigned request: what `serializeRequest` returns and the signer takes. */
export interface SerializedRequest {
  readonly operation: OperationName;
  readonly method: 'POST';
  /** `/endpoints/{EndpointName}/…`, to be appended to the endpoint's base path. */
  readonly path: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/**
 * Serializes a validated input: every header member to its wire name (integers as decimal
 * strings), `Body` to bytes (strings as UTF-8; ArrayBuffers and views wrapped, not copied),
 * `content-type: application/octet-stream` when a body is sent without one (the restJson1 blob
 * rule the AWS SDK follows), and `content-length`, so both are signed as the AWS SDK signs them.
 * An async input with only `InputLocation` is sent with an empty body and no content type.
 */
export function serializeRequest(operation: OperationName, input: { EndpointName: string; Body?: BodyInput }): SerializedRequest {
  const record = input as unknown as Readonly<Record<string, unknown>>;
  const headers: Record<string, string> = {};
  for (const [member, header] of Object.entries(REQUEST_HEADERS[operation]) as [string, string][]) {
    const value = record[member];
    if (value !== undefined && value !== null) headers[header] = String(value);
  }
  const hasBody = input.Body !== undefined && input.Body !== null;
  if (hasBody && headers['content-type'] === undefined) headers['content-type'] = DEFAULT_CONTENT_TYPE;
  const body = bodyBytes(hasBody ? input.Body : undefined);
  headers['content-length'] = String(body.byteLength);
  return { operation, method: 'POST', path: operationPath(operation, input.EndpointName), headers, body };
}

/** Prefixes an operation path with the endpoint's base path, as the AWS SDK keeps it: what is signed and sent. */
export function requestPath(endpoint: URL, path: string): string {
  const base = endpoint.pathname.endsWith('/') ? endpoint.pathname.slice(0, -1) : endpoint.pathname;
  return `${base}${path}`;
}

/** Joins an endpoint URL (its base path kept, as the AWS SDK keeps it) and an operation path. */
export function requestUrl(endpoint: URL, path: string): string {
  return `${endpoint.origin}${requestPath(endpoint, path)}`;
}
