/**
 * How the CLI shows an error: one line on stderr, a JSON form for the errors file, and the exit
 * code it maps to.
 */
import { isSageMakerRuntimeError, type ResponseMetadata } from '../errors/sagemaker-runtime-error.js';
import { EXIT_CODES } from './exit-codes.js';
import { isUsageError } from './usage-error.js';

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

/** True for the JSON form of an error (not an `Error` itself). */
function isErrorJson(value: unknown): value is ErrorJson {
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
    const json: ErrorJson = {
      name: error.name,
      message: error.message,
      retryable: error.retryable,
      throttling: error.throttling,
      $metadata: { ...error.$metadata },
    };
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

/** One line for stderr: `Name: message (HTTP 424, request id …, 3 attempts)`, from an error or its JSON form. */
export function errorLine(error: unknown): string {
  const json = isErrorJson(error) ? error : errorToJson(error);
  const meta = json.$metadata;
  const facts = [
    meta.httpStatusCode !== undefined ? `HTTP ${meta.httpStatusCode}` : '',
    meta.requestId ? `request id ${meta.requestId}` : '',
    meta.attempts !== undefined && meta.attempts > 1 ? `${meta.attempts} attempts` : '',
  ].filter(Boolean);
  return `${json.name}: ${json.message}${facts.length ? ` (${facts.join(', ')})` : ''}`;
}

/** The exit code an error ends a command with: 2 for bad input found before sending, else 1. */
export function exitCodeFor(error: unknown): number {
  if (isUsageError(error)) return EXIT_CODES.usage;
  if (error instanceof Error && error.name === 'InvalidRequestError') return EXIT_CODES.usage;
  return EXIT_CODES.failed;
}
