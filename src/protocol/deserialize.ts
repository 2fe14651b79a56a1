/**
 * Response deserialization: status, lower-cased headers and
 * body bytes to the AWS SDK v3 output shapes, with `$metadata`.
 */
import type { ResponseMetadata } from '../errors/sagemaker-runtime-error.js';
import type { InvokeEndpointAsyncOutput, InvokeEndpointOutput, InvokeEndpointWithResponseStreamHeaders } from '../model/shapes.js';
import { REQUEST_ID_HEADERS, RESPONSE_HEADERS, type OperationName } from '../model/index.js';

/** A response as the deserializers read it: lower-cased header names. */
export interface ResponseParts {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * `$metadata` of a response: the status, the request id (`x-amzn-requestid`, then its fallbacks),
 * the attempt count and no retry wait, in the AWS SDK v3's order. `retryInvocation` replaces the
 * last two when it retried; a first attempt's output already says what the SDK's would.
 */
export function responseMetadata({ statusCode, headers }: ResponseParts, attempts = 1): ResponseMetadata {
  const requestId = requestIdOf(headers);
  return requestId === undefined
    ? { httpStatusCode: statusCode, attempts, totalRetryDelay: 0 }
    : { httpStatusCode: statusCode, requestId, attempts, totalRetryDelay: 0 };
}

/** The request id of a response, from the first of `REQUEST_ID_HEADERS` present. */
export function requestIdOf(headers: Readonly<Record<string, string>>): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers[name];
    if (value !== undefined) return value;
  }
  return undefined;
}

/** The output members an operation reads from headers, by the `RESPONSE_HEADERS` table; absent headers are left out. */
export function headerMembers<O extends OperationName>(
  operation: O,
  headers: Readonly<Record<string, string>>,
): Partial<Record<keyof (typeof RESPONSE_HEADERS)[O], string>> {
  const out: Record<string, string> = {};
  for (const [member, header] of Object.entries(RESPONSE_HEADERS[operation]) as [string, string][]) {
    const value = headers[header];
    if (value !== undefined) out[member] = value;
  }
  return out as Partial<Record<keyof (typeof RESPONSE_HEADERS)[O], string>>;
}

/** Builds the `InvokeEndpoint` output: the body bytes and every header member. */
export function deserializeInvokeEndpoint(response: ResponseParts & { readonly body: Uint8Array }, attempts = 1): InvokeEndpointOutput {
  return { Body: response.body, ...headerMembers('InvokeEndpoint', response.headers), $metadata: responseMetadata(response, attempts) };
}

/** Builds the output members of a response stream from its HTTP headers (the `headers` event). */
export function deserializeStreamHeaders(response: ResponseParts, attempts = 1): InvokeEndpointWithResponseStreamHeaders {
  return { ...headerMembers('InvokeEndpointWithResponseStream', response.headers), $metadata: responseMetadata(response, attempts) };
}

const decoder = new TextDecoder();

/**
 * Builds the `InvokeEndpointAsync` output: `InferenceId` from the JSON body (an empty body is
 * `{}`, as the AWS SDK treats it), the output and failure locations from headers.
 */
export function deserializeInvokeEndpointAsync(response: ResponseParts & { readonly body: Uint8Array }, attempts = 1): InvokeEndpointAsyncOutput {
  const output: InvokeEndpointAsyncOutput = { ...headerMembers('InvokeEndpointAsync', response.headers), $metadata: responseMetadata(response, attempts) };
  const json = parseJsonObject(response.body);
  if (json && typeof json.InferenceId === 'string') output.InferenceId = json.InferenceId;
  return output;
}

/** Parses a body as a JSON object: `{}` for an empty body, `undefined` when it is not a JSON object. */
export function parseJsonObject(body: Uint8Array): Record<string, unknown> | undefined {
  const text = decoder.decode(body);
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
