/**
 * The one table every retry and rate decision reads: which errors are throttling, which are
 * transient. Values are the AWS SDK standard mode's (smithy
 * `service-error-classification/constants.ts`).
 */

/** Error names the AWS SDKs treat as throttling (JS `THROTTLING_ERROR_CODES`, botocore standard). */
export const THROTTLING_ERROR_NAMES: ReadonlySet<string> = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

/** HTTP statuses that mean throttling whatever the code (JS: any 429, e.g. `ModelNotReadyException`). */
export const THROTTLING_STATUS_CODES: ReadonlySet<number> = new Set([429]);

/** Error names the AWS SDKs treat as transient (JS `TRANSIENT_ERROR_CODES`). */
export const TRANSIENT_ERROR_NAMES: ReadonlySet<string> = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'NetworkError',
  'InternalStreamFailure',
]);

/** HTTP statuses that are transient (JS `TRANSIENT_ERROR_STATUS_CODES`). */
export const TRANSIENT_STATUS_CODES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/** System error codes that are transient (JS `NODEJS_TIMEOUT_ERROR_CODES` + `NODEJS_NETWORK_ERROR_CODES`). */
export const TRANSIENT_SYSTEM_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** Names that are never retried whatever their status: the caller must act first. */
export const NEVER_RETRIED_NAMES: ReadonlySet<string> = new Set([
  // the library's own: bad input, no credentials, an answer the codec or a reframing operator could not read
  'InvalidRequestError',
  'CredentialsError',
  'ClientDestroyedError',
  'RedirectError',
  'ResponseTooLargeError',
  'BatchDecodeError',
  'StreamParseError',
  // the service's
  'ValidationError',
  'ModelError',
  'InternalDependencyException',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'AccessDeniedException',
  'ModelStreamError',
]);

/**
 * Errors that are transient only when their message says so (JS `isTransientError`: an
 * `InvalidSignatureException` whose message contains "Signature expired" is a clock problem the
 * next, freshly signed attempt fixes). Checked before `NEVER_RETRIED_NAMES`.
 */
export const TRANSIENT_MESSAGE_RULES: readonly { readonly name: string; readonly contains: string }[] = [
  { name: 'InvalidSignatureException', contains: 'Signature expired' },
  { name: 'InvalidSignatureException', contains: 'Signature not yet current' },
];

/**
 * Error names that may mean the caller's clock is off (the SDK's `CLOCK_SKEW_ERROR_CODES`). The
 * client corrects its signing clock from the response's `Date` and retries such an error once when
 * that clock was off by more than the service's 5 minutes (the SDK's `clockSkewCorrected`); a
 * test holds this list to `isClockSkewError` of `@smithy/core/retry`.
 */
export const CLOCK_SKEW_ERROR_NAMES: ReadonlySet<string> = new Set([
  'AuthFailure',
  'InvalidSignatureException',
  'RequestExpired',
  'RequestInTheFuture',
  'RequestTimeTooSkewed',
  'SignatureDoesNotMatch',
]);

/** True for an error whose name may mean a skewed clock (`CLOCK_SKEW_ERROR_NAMES`). */
export function isClockSkewError(error: { readonly name: string }): boolean {
  return CLOCK_SKEW_ERROR_NAMES.has(error.name);
}

/**
 * Timeout phases that are the caller's own limit, not a sign the next attempt may do better:
 * `total` bounds the whole call (every other phase bounds one attempt and is transient).
 */
export const FINAL_TIMEOUT_PHASES: ReadonlySet<string> = new Set(['total']);

/**
 * Errors raised before any request was sent: they say nothing about the endpoint's capacity,
 * so rate limiters do not count them.
 */
export const NOT_SENT_ERROR_NAMES: ReadonlySet<string> = new Set(['InvalidRequestError', 'CredentialsError', 'ClientDestroyedError']);

/** True when the error was raised before a request was sent (bad input, no credentials). */
export function wasNotSent(error: { readonly name: string }): boolean {
  return NOT_SENT_ERROR_NAMES.has(error.name);
}

export interface Classification {
  /** Retrying may succeed: throttling or transient. */
  readonly retryable: boolean;
  /** The service asked us to slow down; rate limiters and backoff bases read this. */
  readonly throttling: boolean;
}

export interface ClassificationInput {
  name: string;
  httpStatusCode?: number;
  /** A system error code (`ECONNRESET`, …) for network errors. */
  code?: string;
  /** The error message, for the few rules that read it (`TRANSIENT_MESSAGE_RULES`). */
  message?: string;
  /** The phase of a `TimeoutError` (`FINAL_TIMEOUT_PHASES`). */
  timeoutPhase?: string;
}

/** Classifies an error by name, HTTP status and system code, in the AWS SDK standard mode's order. */
export function classifyError({ name, httpStatusCode, code, message, timeoutPhase }: ClassificationInput): Classification {
  const throttling =
    THROTTLING_ERROR_NAMES.has(name) || (httpStatusCode !== undefined && THROTTLING_STATUS_CODES.has(httpStatusCode));
  if (throttling) return { retryable: true, throttling: true };
  if (message !== undefined && TRANSIENT_MESSAGE_RULES.some((r) => r.name === name && message.includes(r.contains))) {
    return { retryable: true, throttling: false };
  }
  if (NEVER_RETRIED_NAMES.has(name)) return { retryable: false, throttling: false };
  if (timeoutPhase !== undefined && FINAL_TIMEOUT_PHASES.has(timeoutPhase)) return { retryable: false, throttling: false };
  const transient =
    TRANSIENT_ERROR_NAMES.has(name) ||
    (httpStatusCode !== undefined && TRANSIENT_STATUS_CODES.has(httpStatusCode)) ||
    (code !== undefined && TRANSIENT_SYSTEM_CODES.has(code));
  return { retryable: transient, throttling: false };
}
