/**
 * Fail fast: a job whose every call fails for a reason no retry and no other record can fix (the
 * endpoint does not exist, access is denied, the credentials or signature are wrong, the requests
 * are malformed) stops after a few results instead of sending every record. Ordinary per-record
 * failures (a `ModelError`, a timeout, a throttle that outlived its retries) never count.
 */
import { SageMakerRuntimeError } from '../index.js';
import { DEFAULT_MAX_CONSECUTIVE_FAILURES } from './enrich-defaults.js';

type RuntimeError = SageMakerRuntimeError;

/** What kind of cause opened the breaker; each has its own hint. */
export type FatalCauseKind = 'endpoint-not-found' | 'access-denied' | 'credentials' | 'signature' | 'validation' | 'unreachable';

/** A cause that, repeated, means no record of the job can succeed. */
export interface FatalCause {
  readonly kind: FatalCauseKind;
  /** Results with equal keys have the same cause (name, status and, for validation, the message). */
  readonly key: string;
}

/** Error names that no retry and no other record fixes, by kind. */
export const FATAL_ERROR_NAMES: Readonly<Record<string, FatalCauseKind>> = {
  ValidationError: 'validation',
  InvalidRequestError: 'validation',
  AccessDeniedException: 'access-denied',
  AccessDenied: 'access-denied',
  UnrecognizedClientException: 'credentials',
  InvalidClientTokenId: 'credentials',
  ExpiredTokenException: 'credentials',
  ExpiredToken: 'credentials',
  MissingAuthenticationTokenException: 'credentials',
  MissingAuthenticationToken: 'credentials',
  CredentialsError: 'credentials',
  InvalidSignatureException: 'signature',
  SignatureDoesNotMatch: 'signature',
  IncompleteSignature: 'signature',
};

/** Network codes that mean the endpoint URL leads nowhere (after retries). */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'ECONNREFUSED', 'EAI_AGAIN', 'ERR_INVALID_URL']);

/** SageMaker answers an unknown endpoint with a `ValidationError` whose message says so. */
const ENDPOINT_NOT_FOUND = /Endpoint .* not found/i;

/** The fatal cause of an error, or undefined for an ordinary per-record failure. */
export function fatalCauseOf(error: RuntimeError): FatalCause | undefined {
  const status = error.$metadata?.httpStatusCode ?? '';
  if (error.name === 'NetworkError' && error.code !== undefined && UNREACHABLE_CODES.has(error.code)) {
    return { kind: 'unreachable', key: `NetworkError|${error.code}` };
  }
  const kind = Object.hasOwn(FATAL_ERROR_NAMES, error.name) ? FATAL_ERROR_NAMES[error.name] : undefined;
  if (kind === undefined) return undefined;
  if (kind === 'validation') {
    if (error.name === 'ValidationError' && ENDPOINT_NOT_FOUND.test(error.message)) {
      return { kind: 'endpoint-not-found', key: `${error.name}|${status}|not-found` };
    }
    // A validation error about one record's content differs from record to record; the same
    // message on every request means the requests themselves are wrong.
    return { kind, key: `${error.name}|${status}|${error.message}` };
  }
  return { kind, key: `${error.name}|${status}` };
}

/** Options of the breaker of `enrichRecords`. */
export interface CircuitBreakerConfig {
  /** Consecutive results failing with the same fatal cause that open the breaker. @default 20 results */
  maxConsecutiveFailures?: number;
  /** Classifies a failure; return undefined for one that must not count. @default fatalCauseOf */
  fatalCause?: (error: RuntimeError) => FatalCause | undefined;
}

export { DEFAULT_MAX_CONSECUTIVE_FAILURES };

/** Where the calls went, for the hint. */
export interface CircuitContext {
  readonly endpointName: string;
  readonly region?: string;
  readonly endpointUrl?: string;
}

/** What to check, per kind of cause. */
export function hintFor(kind: FatalCauseKind, context: CircuitContext): string {
  const where = context.region ? ` in ${context.region}` : '';
  switch (kind) {
    case 'endpoint-not-found':
      return `endpoint '${context.endpointName}' not found${where}: check the region and the endpoint URL`;
    case 'access-denied':
      return `access to endpoint '${context.endpointName}' denied: check the IAM policy (sagemaker:InvokeEndpoint) of the credentials in use`;
    case 'credentials':
      return 'the credentials were refused or could not be found: check the access key, the profile, or the session token';
    case 'signature':
      return 'the request signature was refused: check the secret access key, the region, and the machine clock';
    case 'validation':
      return 'every request was refused as invalid: check the endpoint name, the content type and the request options';
    case 'unreachable':
      return `the endpoint${context.endpointUrl ? ` ${context.endpointUrl}` : ''} cannot be reached: check the endpoint URL and the network`;
  }
}

/**
 * The job was stopped because its results kept failing with the same cause that no retry fixes.
 * `cause` is the last of those errors; `hint` says what to check. Reported as the error
 * notification of `enrichRecords` (the records that failed before it are emitted first).
 */
export class CircuitOpenError extends SageMakerRuntimeError {
  override name = 'CircuitOpenError' as const;
  /** What kind of cause it was. */
  readonly kind: FatalCauseKind;
  /** Consecutive failures with that cause. */
  readonly failures: number;
  /** What to check. */
  readonly hint: string;
  readonly endpointName: string;
  constructor(init: { cause: RuntimeError; kind: FatalCauseKind; failures: number; context: CircuitContext }) {
    const hint = hintFor(init.kind, init.context);
    super({
      name: 'CircuitOpenError',
      message: `stopped after ${init.failures} consecutive failures with the same cause (${init.cause.name}: ${init.cause.message}); ${hint}`,
      $fault: 'client',
      $metadata: init.cause.$metadata,
      retryable: false,
      throttling: false,
      cause: init.cause,
    });
    this.kind = init.kind;
    this.failures = init.failures;
    this.hint = hint;
    this.endpointName = init.context.endpointName;
  }
}

/** True for a `CircuitOpenError`, even when two copies of the library are loaded. */
export function isCircuitOpenError(e: unknown): e is CircuitOpenError {
  return e instanceof Error && e.name === 'CircuitOpenError';
}

/**
 * Counts consecutive failures with the same fatal cause. `record` returns the error to stop with
 * once the count reaches the threshold; a success or another cause starts the count again.
 */
export class CircuitBreaker {
  private streak = 0;
  private key: string | undefined;
  private readonly max: number;
  private readonly classify: (error: RuntimeError) => FatalCause | undefined;

  constructor(
    config: CircuitBreakerConfig,
    private readonly context: CircuitContext,
  ) {
    this.max = config.maxConsecutiveFailures ?? DEFAULT_MAX_CONSECUTIVE_FAILURES;
    if (!(Number.isInteger(this.max) && this.max >= 1)) {
      throw new RangeError(`enrichRecords: breaker.maxConsecutiveFailures must be a positive integer, got ${String(config.maxConsecutiveFailures)}`);
    }
    this.classify = config.fatalCause ?? fatalCauseOf;
  }

  /** Feeds one result: `undefined` for a success, else its error. */
  record(error: RuntimeError | undefined): CircuitOpenError | undefined {
    const cause = error ? this.classify(error) : undefined;
    if (!error || !cause) {
      this.streak = 0;
      this.key = undefined;
      return undefined;
    }
    if (cause.key !== this.key) {
      this.key = cause.key;
      this.streak = 0;
    }
    this.streak++;
    return this.streak >= this.max ? new CircuitOpenError({ cause: error, kind: cause.kind, failures: this.streak, context: this.context }) : undefined;
  }
}
