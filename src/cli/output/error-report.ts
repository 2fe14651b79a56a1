/**
 * How the CLI shows an error: one line on stderr, and the exit code it maps to. The JSON form of
 * errors-file lines is the engine's (`errorToJson` in sagemaker-rx/node).
 */
import { describeError, errorToJson, type ErrorJson } from '../../node/index.js';
import { isUsageError } from '../args/usage-error.js';
import { EXIT_CODES } from './exit-codes.js';

export { errorToJson, type ErrorJson };

/** One line for stderr: `Name: message (HTTP 424, request id …, 3 attempts)`, from an error or its JSON form. */
export function errorLine(error: unknown): string {
  return describeError(error);
}

/** The exit code an error ends a command with: 2 for bad input found before sending, else 1. */
export function exitCodeFor(error: unknown): number {
  if (isUsageError(error)) return EXIT_CODES.usage;
  if (error instanceof Error && error.name === 'InvalidRequestError') return EXIT_CODES.usage;
  return EXIT_CODES.failed;
}
