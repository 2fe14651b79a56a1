/**
 * Every value a user may override, in one place, with its unit. Each option's doc names the
 * default it takes from here. The retry numbers are the AWS SDK standard mode's, read from the
 * package that maintains them (`@smithy/core/retry`), so they cannot drift.
 */
import {
  DEFAULT_MAX_ATTEMPTS as SDK_DEFAULT_MAX_ATTEMPTS,
  DEFAULT_RETRY_DELAY_BASE,
  INITIAL_RETRY_TOKENS,
  MAXIMUM_RETRY_DELAY,
  THROTTLING_RETRY_DELAY_BASE,
} from '@smithy/core/retry';

// ── Client ────────────────────────────────────────────────────────────────────────────────
/** Connections per origin of the undici transport (the AWS SDK's `maxSockets`). */
export const DEFAULT_MAX_CONNECTIONS = 50;
/** Time to establish a connection (TCP + TLS), in ms. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Headers and body read timeout in ms: the service gives a model 60 s; SageMaker advises a 70 s client read timeout. */
export const DEFAULT_READ_TIMEOUT_MS = 70_000;
/** Credentials are refreshed this long before they expire, in ms (`EXPIRATION_MS` of the AWS SDK). */
export const CREDENTIALS_REFRESH_WINDOW_MS = 300_000;
/**
 * How long one credentials lookup may take, in ms, before its callers get a `CredentialsError`
 * and the next call asks the provider again. Long enough for the default chain's slowest
 * honest source (SSO, a credential process, IMDS with its retries).
 */
export const DEFAULT_CREDENTIALS_TIMEOUT_MS = 30_000;
/**
 * The largest response body read whole, in bytes, by operation: the service's own limits with
 * headroom. InvokeEndpoint answers at most 6,291,456 bytes (4 x that here); the async call answers
 * a small JSON document; the streaming call reads only an error body whole (its event stream is
 * bounded frame by frame instead). A larger body is a `ResponseTooLargeError`.
 */
export const DEFAULT_MAX_RESPONSE_BYTES: Readonly<Record<'InvokeEndpoint' | 'InvokeEndpointWithResponseStream' | 'InvokeEndpointAsync', number>> = {
  InvokeEndpoint: 25_165_824,
  InvokeEndpointWithResponseStream: 1_048_576,
  InvokeEndpointAsync: 1_048_576,
};
/**
 * The largest event-stream frame accepted, in bytes: the format's own caps (24 MiB of payload,
 * 128 KiB of headers, 16 bytes of framing) with headroom. A prelude announcing more is a
 * `ResponseTooLargeError` before anything is allocated.
 */
export const DEFAULT_MAX_EVENT_STREAM_FRAME_BYTES = 33_554_432;
/** The largest headers section of one event-stream frame, in bytes (the format's 128 KiB, doubled). */
export const DEFAULT_MAX_EVENT_STREAM_HEADERS_BYTES = 262_144;

// ── Retry (retryInvocation, the client's retry quota) ─────────────────────────────────────
/** Attempts `retryInvocation` makes, the first included. */
export const DEFAULT_MAX_ATTEMPTS: number = SDK_DEFAULT_MAX_ATTEMPTS;
/** Full-jitter backoff base for transient errors, in ms. */
export const DEFAULT_RETRY_BASE_DELAY_MS: number = DEFAULT_RETRY_DELAY_BASE;
/** Full-jitter backoff base for throttling errors, in ms. */
export const DEFAULT_THROTTLING_RETRY_BASE_DELAY_MS: number = THROTTLING_RETRY_DELAY_BASE;
/** The cap of one backoff delay, in ms. */
export const DEFAULT_MAX_RETRY_DELAY_MS: number = MAXIMUM_RETRY_DELAY;
/** Tokens in a client's retry quota. */
export const DEFAULT_RETRY_QUOTA_CAPACITY: number = INITIAL_RETRY_TOKENS;

// ── Limiter (createLimiter's AIMD concurrency window) ─────────────────────────────────────
/** The window an AIMD limiter starts with when it has no `maxConcurrency`, in calls. */
export const DEFAULT_AIMD_INITIAL_CONCURRENCY = 8;
/**
 * Windows of successes per +1 call. Larger probes an endpoint's limit more gently at the same
 * throughput (docs/operators.md shows the trade-off measured against a capped endpoint).
 */
export const DEFAULT_AIMD_WINDOWS_PER_INCREASE = 8;

// ── Pipelines ─────────────────────────────────────────────────────────────────────────────
/** Invocations `invokeEach` keeps in flight. */
export const DEFAULT_INVOKE_EACH_CONCURRENCY = 4;
/** Items per batch of `batchInvocations`. */
export const DEFAULT_MAX_BATCH_SIZE = 32;
/** How long `batchInvocations` waits to fill a batch, in ms. */
export const DEFAULT_MAX_BATCH_WAIT_MS = 50;
/** Batches `batchInvocations` keeps in flight. */
export const DEFAULT_BATCH_CONCURRENCY = 2;
