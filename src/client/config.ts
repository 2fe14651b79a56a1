import type { AwsCredentials, AwsCredentialsProvider } from '../credentials/aws-credentials.js';
import type { SchedulerLike } from 'rxjs';
import type { Transport } from '../transport/transport.js';
import type { UndiciTransportOptions } from '../transport/undici-transport.js';
import type { Logger } from '../diagnostics/logger.js';

/** Options of `new SageMakerRuntime(config)`: the AWS SDK v3 names, plus ours. */
export interface SageMakerRuntimeConfig {
  /** The AWS region. Else `AWS_REGION`, `AWS_DEFAULT_REGION`, then the shared config profile's `region`. */
  region?: string;
  /** An object or a provider. @default fromNodeProviderChain(), memoised, refreshed 5 minutes before expiry */
  credentials?: AwsCredentials | AwsCredentialsProvider;
  /** The shared config profile for the default chain and region. @default AWS_PROFILE or 'default' */
  profile?: string;
  /**
   * A URL used verbatim (the emulator, a VPC endpoint); its base path is kept. Else, as the AWS
   * SDKs: `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME`, `AWS_ENDPOINT_URL`, the profile's `services`
   * section (`sagemaker_runtime` / `endpoint_url`), the profile's `endpoint_url` (none of them when
   * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is true); else the region's endpoint.
   */
  endpoint?: string;
  /** @default false */
  useFipsEndpoint?: boolean;
  /** @default false */
  useDualstackEndpoint?: boolean;
  /** Connections per origin of the default transport. @default 50 */
  maxConnections?: number;
  /** Time to establish a connection, in ms. @default 10_000 */
  connectTimeoutMs?: number;
  /** Time from sending to the response headers, in ms (the service gives a model 60 s). @default 70_000 */
  headersTimeoutMs?: number;
  /** Longest gap between two body chunks, in ms. @default 70_000 */
  bodyTimeoutMs?: number;
  /**
   * The clock of the events' `timestamp`. Pass the scheduler your operators use so that one
   * stream has one clock (a virtual-time scheduler in tests). Signing always uses the real time.
   * @default asyncScheduler (the wall clock)
   */
  scheduler?: SchedulerLike;
  /**
   * How long one credentials lookup may take, in ms. A provider that has not answered by then
   * gives the waiting calls a `CredentialsError` event, and the next call asks it again.
   * @default 30_000
   */
  credentialsTimeoutMs?: number;
  /**
   * The largest response body read whole, in bytes: one number for every operation, or one per
   * operation. A larger body is a `ResponseTooLargeError` event.
   * @default DEFAULT_MAX_RESPONSE_BYTES (InvokeEndpoint 25,165,824; the others 1,048,576)
   */
  maxResponseBytes?: number | Partial<Record<'InvokeEndpoint' | 'InvokeEndpointWithResponseStream' | 'InvokeEndpointAsync', number>>;
  /**
   * The largest event-stream frame of a streamed response, in bytes. A prelude announcing more
   * is a `ResponseTooLargeError` event before anything is allocated.
   * @default 33_554_432 (the format's 24 MiB payload and 128 KiB headers, with headroom)
   */
  maxEventStreamFrameBytes?: number;
  /**
   * Attempts of each Promise twin call (`invokeEndpoint()` …), the first included, as the SDK's
   * `send()` makes them; the Observables stay one attempt per subscription (add `retryInvocation`).
   * @default AWS_MAX_ATTEMPTS, else the profile's `max_attempts`, else 3
   */
  maxAttempts?: number;
  /**
   * How the Promise twins retry: `standard` (backoff and the retry quota) or `adaptive` (the same
   * behind a client-side rate that slows down after throttling). `legacy` is read as `standard`.
   * @default AWS_RETRY_MODE, else the profile's `retry_mode`, else 'standard'
   */
  retryMode?: 'standard' | 'adaptive' | 'legacy';
  /**
   * Correct the signing clock from the service's `Date` header when it is more than 5 minutes off,
   * and retry a clock-skew error once, as the AWS SDKs do. @default true
   */
  correctClockSkew?: boolean;
  /** Appended to the `user-agent` header (the SDK's `customUserAgent`: a string or `[name, version?]` pairs). */
  customUserAgent?: string | ReadonlyArray<readonly [string, string?]>;
  /**
   * Certificate authorities to trust (PEM) instead of Node's bundled ones, for the default
   * transport. @default the file named by AWS_CA_BUNDLE or the profile's `ca_bundle`, else Node's
   */
  ca?: UndiciTransportOptions['ca'];
  /** `false` accepts any server certificate: for tests against a self-signed endpoint only. @default true */
  rejectUnauthorized?: boolean;
  /** How long the default transport keeps an idle connection, in ms. @default 4_000 */
  keepAliveTimeoutMs?: number;
  /**
   * The default transport's proxy: `'env'` honours `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` (lower-case
   * too) through undici's `EnvHttpProxyAgent`; an object gives them; `false` never proxies. @default 'env'
   */
  proxy?: UndiciTransportOptions['proxy'];
  /** An undici dispatcher for the default transport (used as given, not closed by `destroy()`). */
  dispatcher?: UndiciTransportOptions['dispatcher'];
  /** How requests are sent. @default the undici transport on Node; the fetch transport in a browser bundle (the package's `browser` field) */
  transport?: Transport;
  /**
   * Receives the facts of every attempt as structured objects, `logger.debug(fields, message)`:
   * sent, status, first chunk and end at `debug`, a retry at `info`, a failed attempt at `warn`.
   * `console` and pino loggers fit. Secrets are redacted. @default none
   */
  logger?: Logger;
}
