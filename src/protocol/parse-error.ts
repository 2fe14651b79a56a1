/**
 * restJson1 error parsing (as aws-sdk-js-v3's `loadRestJsonErrorCode`): the AWS
 * code from `x-amzn-errortype`, else the body's `code`/`Code`, else `__type`, sanitised; the
 * message from `message`/`Message`; the modelled class for the code, or `ServiceError`.
 */
import type { SageMakerRuntimeError } from '../errors/sagemaker-runtime-error.js';
import { MODELLED_SERVICE_ERRORS, ServiceError, type ModelErrorInit } from '../errors/service-errors.js';
import { parseJsonObject, responseMetadata, type ResponseParts } from './deserialize.js';
import { retryAfterMs } from './retry-hint.js';
import { ERROR_TYPE_HEADER, modelledErrorNameFromStatus, type OperationName } from '../model/index.js';

type ModelledName = keyof typeof MODELLED_SERVICE_ERRORS;

/** The name of an error response that carried no code: the one modelled error for its status and operation, else `Unknown`. */
export const nameFromStatus = modelledErrorNameFromStatus;

/**
 * Sanitises an error code as the AWS SDK does: a number is stringified; keep the part before
 * the first `,` and before the first `:`; if there is a `#`, keep the part after it.
 */
export function sanitizeErrorCode(raw: unknown): string | undefined {
  if (typeof raw === 'number') raw = String(raw);
  if (typeof raw !== 'string') return undefined;
  let code = raw.split(',')[0]!.split(':')[0]!;
  if (code.includes('#')) code = code.split('#')[1]!;
  code = code.trim();
  return code === '' ? undefined : code;
}

/** The error code of a response, first match wins: header, body `code` (any case), body `__type`. */
export function errorCodeOf(headers: Readonly<Record<string, string>>, body: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const fromHeader = sanitizeErrorCode(headers[ERROR_TYPE_HEADER]);
  if (fromHeader !== undefined) return fromHeader;
  if (body === undefined) return undefined;
  const codeKey = Object.keys(body).find((k) => k.toLowerCase() === 'code');
  const fromCode = codeKey === undefined ? undefined : sanitizeErrorCode(body[codeKey]);
  return fromCode ?? sanitizeErrorCode(body.__type);
}

const SNIPPET_CHARS = 200;
const decoder = new TextDecoder();

/** Options of `parseErrorResponse`. */
export interface ParseErrorOptions {
  /** The operation the response answers; narrows the name guessed from a status. */
  operation?: OperationName;
  /** Attempts so far, for `$metadata.attempts`. @default 1 */
  attempts?: number;
  /** When the response arrived (epoch ms), for a `retry-after` HTTP date. @default Date.now() */
  now?: number;
}

/**
 * Turns a non-2xx response into a typed error: the modelled class for its code
 * (`ModelError` with `OriginalStatusCode`, …), else a `ServiceError` named after the code;
 * a non-JSON body (an HTML 502 from a proxy) gives an error with the status and a snippet of
 * the body. Retry hints become `retryAfterMs`.
 */
export function parseErrorResponse(response: ResponseParts & { readonly body: Uint8Array }, options: ParseErrorOptions = {}): SageMakerRuntimeError {
  const { statusCode, headers } = response;
  const json = parseJsonObject(response.body);
  const name = errorCodeOf(headers, json) ?? nameFromStatus(statusCode, options.operation);
  const bodyMessage = stringMember(json, 'message') ?? stringMember(json, 'Message');
  const message =
    json === undefined
      ? `HTTP ${statusCode} with a non-JSON body: ${snippet(response.body)}`
      : bodyMessage !== undefined && bodyMessage !== ''
        ? bodyMessage
        : `${name}: HTTP ${statusCode} with no message`;
  const $metadata = responseMetadata(response, options.attempts ?? 1);
  const retryAfter = retryAfterMs(headers, options.now);
  const init: ModelErrorInit & { body?: Record<string, unknown> } = { message, $metadata, Message: stringMember(json, 'Message') };
  if (retryAfter !== undefined) init.retryAfterMs = retryAfter;
  if (Object.hasOwn(MODELLED_SERVICE_ERRORS, name)) {
    if (name === 'ModelError' || name === 'ModelStreamError') {
      init.ErrorCode = stringMember(json, 'ErrorCode');
    }
    if (name === 'ModelError') {
      init.OriginalStatusCode = numberMember(json, 'OriginalStatusCode');
      init.OriginalMessage = stringMember(json, 'OriginalMessage');
      init.LogStreamArn = stringMember(json, 'LogStreamArn');
    }
    return new MODELLED_SERVICE_ERRORS[name as ModelledName](init);
  }
  if (json !== undefined) init.body = json;
  return new ServiceError(name, init);
}

function stringMember(json: Readonly<Record<string, unknown>> | undefined, key: string): string | undefined {
  const value = json?.[key];
  return typeof value === 'string' ? value : undefined;
}

function numberMember(json: Readonly<Record<string, unknown>> | undefined, key: string): number | undefined {
  const value = json?.[key];
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

function snippet(body: Uint8Array): string {
  const text = decoder.decode(body.subarray(0, SNIPPET_CHARS * 4)).replace(/\s+/g, ' ').trim();
  return text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS)}…` : text;
}
