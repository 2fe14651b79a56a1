/**
 * The JSON form of an error for an errors file: name, message, the two flags, `$metadata`, and the
 * context members of particular errors. Built from an allow-list, so nothing else an error object
 * may carry (a request, headers, credentials) is ever written out.
 */
import { isSageMakerRuntimeError, type ResponseMetadata } from '../index.js';

/** The `error` member of an errors-file line. */
export interface ErrorJson {
  name: string;
  message: string;
  retryable: boolean;
  throttling?: boolean;
  $metadata: ResponseMetadata;
  /** Context members of particular errors, when set (the member and rule of `InvalidRequestError`, …). */
  [extra: string]: unknown;
}

/** Members of particular errors worth keeping in the errors file, by error name. */
const EXTRA_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  InvalidRequestError: ['member', 'rule'],
  ModelError: ['OriginalStatusCode', 'OriginalMessage', 'LogStreamArn', 'ErrorCode'],
  ModelStreamError: ['ErrorCode'],
  NetworkError: ['code'],
  TimeoutError: ['phase', 'ms'],
  BatchDecodeError: ['expected', 'got', 'batchId'],
};

/** Only these `$metadata` members are copied. */
const METADATA_MEMBERS = ['httpStatusCode', 'requestId', 'attempts', 'totalRetryDelay'] as const;

/** True for the JSON form of an error (not an `Error` itself). */
export function isErrorJson(value: unknown): value is ErrorJson {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Error) &&
    typeof (value as ErrorJson).name === 'string' &&
    typeof (value as ErrorJson).message === 'string' &&
    typeof (value as ErrorJson).$metadata === 'object'
  );
}

/** The JSON form of any thrown value: name, message, retryable, `$metadata`, and the error's context members. */
export function errorToJson(error: unknown): ErrorJson {
  if (isSageMakerRuntimeError(error)) {
    const $metadata: ResponseMetadata = {};
    for (const key of METADATA_MEMBERS) if (error.$metadata?.[key] !== undefined) ($metadata as Record<string, unknown>)[key] = error.$metadata[key];
    const json: ErrorJson = { name: error.name, message: error.message, retryable: error.retryable, throttling: error.throttling, $metadata };
    // Own keys only: a wire code such as `constructor` must not find Object's members.
    for (const key of Object.hasOwn(EXTRA_MEMBERS, error.name) ? EXTRA_MEMBERS[error.name]! : []) {
      const value = (error as unknown as Record<string, unknown>)[key];
      if (value !== undefined) json[key] = value;
    }
    return json;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message, retryable: false, $metadata: {} };
}

/** One line for a terminal: `Name: message (HTTP 424, request id …, 3 attempts)`, from an error or its JSON form. */
export function describeError(error: unknown): string {
  const json = isErrorJson(error) ? error : errorToJson(error);
  const meta = json.$metadata;
  const facts = [
    meta.httpStatusCode !== undefined ? `HTTP ${meta.httpStatusCode}` : '',
    meta.requestId ? `request id ${meta.requestId}` : '',
    meta.attempts !== undefined && meta.attempts > 1 ? `${meta.attempts} attempts` : '',
  ].filter(Boolean);
  return `${json.name}: ${json.message}${facts.length ? ` (${facts.join(', ')})` : ''}`;
}
