/**
 * The emulator's defaults, the key it accepts and the message texts it answers with.
 */
import type { EndpointConfig } from './types.js';

/** The signing region the emulator expects by default. */
export const EMULATOR_REGION = 'us-east-1';

/**
 * The key the emulator accepts by default: sign with it (region `us-east-1`, service `sagemaker`).
 * Not frozen on purpose: the official AWS SDK writes a `$source` marker onto credential objects.
 */
export const EMULATOR_CREDENTIALS: { accessKeyId: 'AKIDEMULATOR'; secretAccessKey: string } = {
  accessKeyId: 'AKIDEMULATOR',
  secretAccessKey: 'emulator/secret/access/key/0000000000000',
};

/** The account in messages and ARNs. */
export const DEFAULT_ACCOUNT_ID = '123456789012';
export const DEFAULT_HOST = '127.0.0.1';
/** Seeds the fault RNG when no `seed` is given (the API version's digits). */
export const DEFAULT_SEED = 20170513;
/** SigV4 clock skew the service allows (5 minutes). */
export const DEFAULT_CLOCK_SKEW_MS = 300_000;
/** Requests the log keeps by default: enough to assert on, bounded for long runs. */
export const DEFAULT_RECORD_REQUESTS = 1_000;
export const DEFAULT_VARIANT = 'AllTraffic';
/** The container name SageMaker uses in messages for a single-container endpoint. */
export const PRIMARY_CONTAINER = 'primary';
/** How long a session opened with `NEW_SESSION` lives (the `Expires=` of the new session id). */
export const SESSION_TTL_MS = 20 * 60_000;
/** Bigger bodies are not read: the connection is answered and closed (protects the test process). */
export const HARD_BODY_LIMIT_BYTES = 64 * 1024 * 1024;
/** The generator's default text: ASCII, two-byte, three-byte and four-byte UTF-8 characters. */
export const DEFAULT_GENERATOR_TEXT =
  'The quick brown fox jumps over the lazy dog. Größe, café, naïve — ✓ 日本語のテキスト and emoji 🚀🎉 at the end.';
export const DEFAULT_TOKENS_PER_SECOND = 50;
/** S3 bucket of the async operation's output and failure locations. */
export const ASYNC_BUCKET = 'sagemaker-emulator';
/** How long a real-time model may take (the service's limit). */
export const DEFAULT_MODEL_TIMEOUT_MS = 60_000;
/** The async operation's `InvocationTimeoutSeconds` when the request sets none. */
export const DEFAULT_ASYNC_INVOCATION_TIMEOUT_SECONDS = 900;

/** The endpoints a default emulator serves. */
export function defaultEndpoints(): Record<string, EndpointConfig> {
  return { echo: { model: 'echo' }, sentiment: { model: 'sentiment' }, generator: { model: 'text-generator' } };
}

/** Fixed message texts (AWS's wording where it is known). */
export const MESSAGES = {
  missingAuth: 'Missing Authentication Token',
  unrecognizedClient: 'The security token included in the request is invalid.',
  badSignature:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  contentHashMismatch: "The provided 'x-amz-content-sha256' header does not match what was computed.",
  internalFailure: 'An internal error has occurred. Please try again.',
  serviceUnavailable: 'Service is unavailable. Please try again.',
  dependencyFailure: 'An internal dependency of the service failed. Please try again later.',
  unknownOperation: 'The requested operation is not supported by SageMaker Runtime.',
  modelStreamTimeout: `Your model ${PRIMARY_CONTAINER} did not complete sending the inference response in the allotted time.`,
  modelStreamBroken: `The response stream from model ${PRIMARY_CONTAINER} was broken.`,
  internalStreamFailure: 'An internal error occurred while streaming the inference response. Please try again.',
  modelTimeout: (container: string) =>
    `Your invocation timed out while waiting for a response from container ${container}. Review the latency metrics for each container in Amazon CloudWatch, resolve the issue, and try again.`,
} as const;
