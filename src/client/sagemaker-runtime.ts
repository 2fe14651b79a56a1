/**
 * `SageMakerRuntime`: the client. Each `$` method returns a cold Observable of lifecycle events
 *; each Promise twin resolves with the output or rejects with the typed error.
 */
import type { Observable } from 'rxjs';
import { createCredentialResolver, type CredentialResolver } from '../credentials/credential-resolver.js';
import { createDefaultProvider, DEFAULT_PROVIDER_DESCRIPTION } from '../platform/default-provider.js';
import type { InvokeErrorEvent, InvokeEvent, InvokeResponseEvent, InvokeSentEvent } from '../events/invoke-event.js';
import { output } from '../events/output.js';
import { createRetryQuota, type RetryQuota } from '../retry/retry-quota.js';
import { deserializeInvokeEndpoint } from '../protocol/deserialize.js';
import { resolveEndpoint } from '../protocol/endpoints.js';
import type { InvokeEndpointInput, InvokeEndpointOutput } from '../model/shapes.js';
import { createRequestSigner, type RequestSigner } from '../signing/request-signer.js';
import type { Transport } from '../transport/transport.js';
import { createDefaultTransport } from '../platform/default-transport.js';
import { SIGNING_CRYPTO } from '../platform/signing-crypto.js';
import { attempt$, bufferedResponseHandler, type AttemptDeps } from './attempt.js';
import type { SageMakerRuntimeConfig } from './config.js';
import type { Logger } from '../diagnostics/logger.js';
import type { EndpointInvoker } from '../events/invoker.js';
import { resolveRegion } from './region.js';
import { loadSharedConfig } from '../platform/shared-config.js';
import { InvalidRequestError } from '../errors/client-errors.js';
import { USER_AGENT } from '../signing/user-agent.js';
import { DEFAULT_MAX_ATTEMPTS } from '../defaults.js';
import { createSigningClock, observingClock, type SigningClock } from './signing-clock.js';
import { createAdaptiveRateLimiter, withPromiseRetry, type PromiseRetryPolicy, type RetryMode } from './promise-retry.js';
import { toPromise, type InvokeOptions } from './to-promise.js';
import { toOutputBody, type OutputBody } from '../protocol/output-body.js';
import { withReadBody, type StreamedBody } from './streamed-body.js';
import { MAX_ASYNC_BODY_BYTES, MAX_BODY_BYTES } from '../model/index.js';
import { invokeEndpointWithResponseStream$ } from './invoke-stream.js';
import { toResponseStreamPromise, type InvokeEndpointWithResponseStreamOutput } from './invoke-stream-promise.js';
import { invokeEndpointAsync$ } from './invoke-async.js';
import type { InvokeAsyncEvent, InvokeStreamEvent } from '../events/invoke-event.js';
import type { InvokeEndpointAsyncInput, InvokeEndpointAsyncOutput, InvokeEndpointWithResponseStreamInput } from '../model/shapes.js';
import type { AsyncResultEvent } from '../events/async-result-event.js';
import type { InvokeAcceptedEvent } from '../events/invoke-event.js';
import type { AwsCredentials, AwsCredentialsProvider } from '../credentials/aws-credentials.js';
import { pollAsyncResult$, s3ObjectUrl, type WaitForAsyncResultConfig } from './wait-for-async-result.js';

/** Options of `client.waitForAsyncResult$`: the wait's, and where and how to read S3. */
export interface ClientWaitForAsyncResultOptions extends WaitForAsyncResultConfig {
  s3?: {
    /**
     * An S3-compatible endpoint, addressed path-style (`{endpoint}/{bucket}/{key}`).
     * @default the client's custom `endpoint` when it has one (the emulator serves its own store), else AWS S3 (virtual-hosted) in `region`
     */
    endpoint?: string;
    /** @default the client's region */
    region?: string;
    /** @default the client's credentials */
    credentials?: AwsCredentials | AwsCredentialsProvider;
  };
}

/**
 * Seams for tests of this library (a fixed signing date, a clock for credentials). Not part of
 * the public API.
 * @internal
 */
export interface SageMakerRuntimeInternals {
  /** The signing date of each attempt. @default () => new Date() */
  signingDate?: () => Date;
  /** The environment region and profile are read from. @default process.env */
  env?: NodeJS.ProcessEnv;
}

const invokeEndpointHandler = bufferedResponseHandler<InvokeResponseEvent>((response, context) => ({
  type: 'response',
  attempt: context.attempt,
  timestamp: context.timestamp(),
  output: deserializeInvokeEndpoint(response, context.attempt),
  durationMs: context.elapsedMs(),
}));

/** The `logger` option, checked: one that lacks a method would fail on its first fact. */
function checkLogger(logger: Logger | undefined): Logger | undefined {
  if (logger === undefined) return undefined;
  const missing = (['debug', 'info', 'warn', 'error'] as const).filter((level) => typeof (logger as Partial<Logger> | null)?.[level] !== 'function');
  if (missing.length > 0) throw new InvalidRequestError({ member: 'logger', rule: `must have debug, info, warn and error methods (missing ${missing.join(', ')})` });
  return logger;
}

/**
 * A SageMaker Runtime client whose calls are cold Observables of lifecycle events.
 *
 * Constructing it reads the configuration only: no credentials lookup, no socket. The region
 * comes from `config.region`, `AWS_REGION`, `AWS_DEFAULT_REGION` or the shared config profile;
 * without one the constructor throws an `InvalidRequestError` (member `region`).
 *
 * @example
 * ```ts
 * import { SageMakerRuntime } from 'sagemaker-rx';
 *
 * const client = new SageMakerRuntime({ region: 'eu-west-1' });
 * client.invokeEndpoint$({ EndpointName: 'reviews', Body: '{"text":"great"}', ContentType: 'application/json' })
 *   .subscribe((e) => console.log(e.type));
 * // sent
 * // response
 * ```
 */
export class SageMakerRuntime implements EndpointInvoker {
  /** The retry quota shared by every call of this client (AWS SDK standard mode: 500 tokens). */
  readonly retryQuota: RetryQuota = createRetryQuota();
  /** The AWS region requests are signed for. */
  readonly region: string;
  /** The resolved endpoint URL: the region's, or the custom `endpoint` verbatim. */
  readonly endpoint: URL;
  /** The transport requests go through. */
  readonly transport: Transport;
  /**
   * What every attempt of this client uses: endpoint, transport, credentials, signer. Other
   * operations (the streaming and async methods) build on it with `attempt$`.
   * @internal
   */
  protected readonly attemptDeps: AttemptDeps;
  /** Attempts each Promise twin call makes at most (config, `AWS_MAX_ATTEMPTS`, `max_attempts`, else 3). */
  readonly maxAttempts: number;
  /** How the Promise twins retry (config, `AWS_RETRY_MODE`, `retry_mode`, else `standard`). */
  readonly retryMode: RetryMode;
  /** The Promise twins' retry policy. @internal */
  protected readonly promiseRetry: PromiseRetryPolicy;
  /** The custom `endpoint` given, if any: where the emulator's S3 store is too. */
  private readonly customEndpoint: string | undefined;
  /** The client's credentials, reused to sign S3 reads. */
  private readonly credentialResolver: CredentialResolver;
  #destroyed = false;

  constructor(config: SageMakerRuntimeConfig = {}, /** @internal */ internals: SageMakerRuntimeInternals = {}) {
    this.region = resolveRegion(config, internals.env);
    let shared: ReturnType<typeof loadSharedConfig>;
    try {
      shared = loadSharedConfig({ profile: config.profile, ...(internals.env && { env: internals.env }) });
    } catch (cause) {
      throw new InvalidRequestError({ member: 'config', rule: (cause as Error).message, cause });
    }
    this.endpoint = resolveEndpoint({
      region: this.region,
      endpoint: config.endpoint ?? shared.endpointUrl?.value,
      useFipsEndpoint: config.useFipsEndpoint,
      useDualstackEndpoint: config.useDualstackEndpoint,
    });
    const transport =
      config.transport ??
      createDefaultTransport({
        maxConnections: config.maxConnections,
        connectTimeoutMs: config.connectTimeoutMs,
        headersTimeoutMs: config.headersTimeoutMs,
        bodyTimeoutMs: config.bodyTimeoutMs,
        ...((config.ca ?? shared.caBundle?.value) !== undefined && { ca: config.ca ?? shared.caBundle!.value }),
        ...(config.rejectUnauthorized !== undefined && { rejectUnauthorized: config.rejectUnauthorized }),
        ...(config.keepAliveTimeoutMs !== undefined && { keepAliveTimeoutMs: config.keepAliveTimeoutMs }),
        ...(config.proxy !== undefined && { proxy: config.proxy }),
        ...(config.dispatcher !== undefined && { dispatcher: config.dispatcher }),
        ...(internals.env && { env: internals.env }),
      });
    const clock: SigningClock | undefined = config.correctClockSkew === false ? undefined : createSigningClock(internals.signingDate);
    this.transport = clock ? observingClock(transport, clock) : transport;
    this.maxAttempts = config.maxAttempts ?? shared.maxAttempts?.value ?? DEFAULT_MAX_ATTEMPTS;
    if (!(Number.isInteger(this.maxAttempts) && this.maxAttempts >= 1)) {
      throw new InvalidRequestError({ member: 'maxAttempts', rule: `must be an integer >= 1 (got ${this.maxAttempts})` });
    }
    const mode = config.retryMode ?? shared.retryMode?.value ?? 'standard';
    if (mode !== 'standard' && mode !== 'adaptive' && mode !== 'legacy') {
      throw new InvalidRequestError({ member: 'retryMode', rule: `must be standard, adaptive or legacy (got ${JSON.stringify(mode)}${config.retryMode === undefined ? ` from ${shared.retryMode?.source}` : ''})` });
    }
    this.retryMode = mode === 'adaptive' ? 'adaptive' : 'standard';
    this.promiseRetry = {
      maxAttempts: this.maxAttempts,
      mode: this.retryMode,
      quota: this.retryQuota,
      ...(this.retryMode === 'adaptive' && { rate: createAdaptiveRateLimiter() }),
      ...(clock && { clock }),
    };
    const credentials: CredentialResolver = createCredentialResolver(config.credentials, {
      profile: config.profile,
      ...(config.credentialsTimeoutMs !== undefined && { timeoutMs: config.credentialsTimeoutMs }),
      defaultProvider: createDefaultProvider,
      defaultProviderDescription: DEFAULT_PROVIDER_DESCRIPTION,
    });
    const userAgent = config.customUserAgent === undefined ? undefined : `${USER_AGENT} ${formatUserAgent(config.customUserAgent)}`;
    const signer: RequestSigner = createRequestSigner({ region: this.region, credentials, crypto: SIGNING_CRYPTO, ...(userAgent && { userAgent }) });
    this.customEndpoint = config.endpoint;
    this.credentialResolver = credentials;
    const scheduler = config.scheduler;
    const logger = checkLogger(config.logger);
    this.attemptDeps = {
      endpoint: this.endpoint,
      transport: this.transport,
      credentials,
      signer,
      signingDate: clock ? clock.now : internals.signingDate,
      ...(scheduler && { now: () => scheduler.now() }),
      maxResponseBytes: responseCaps(config.maxResponseBytes),
      ...(config.maxEventStreamFrameBytes !== undefined && { maxEventStreamFrameBytes: positive('maxEventStreamFrameBytes', config.maxEventStreamFrameBytes) }),
      destroyed: () => this.#destroyed,
      region: this.region,
      ...(logger !== undefined ? { logger } : {}),
    };
  }

  /**
   * Invokes an endpoint: returns a cold Observable of `sent`, then `response` (the output, with
   * `$metadata`) or `error` (a typed `SageMakerRuntimeError`), then completes.
   *
   * Subscribing validates the input (an invalid one gives one `error` event with an
   * `InvalidRequestError` and sends nothing), resolves credentials, signs with a fresh date and
   * sends. Each subscription is one attempt; unsubscribing aborts the request and nothing more
   * is emitted. Failures are events: the error channel is kept for defects.
   *
   * @example
   * ```ts
   * client.invokeEndpoint$({ EndpointName: 'echo', Body: 'hi' }).pipe(output())
   *   .subscribe((o) => console.log(new TextDecoder().decode(o.Body)));
   * // hi
   * ```
   */
  invokeEndpoint$(input: InvokeEndpointInput): Observable<InvokeEvent> {
    return attempt$<InvokeResponseEvent>(this.attemptDeps, 'InvokeEndpoint', input, invokeEndpointHandler) as Observable<
      InvokeSentEvent | InvokeResponseEvent | InvokeErrorEvent
    >;
  }

  /**
   * Invokes an endpoint and resolves with its output; rejects with the typed error
   * (`ModelError`, `ValidationError`, `NetworkError`, …), or with `signal.reason` when `signal`
   * aborts (the request is then cancelled). Retries as the AWS SDK's `send()` does: up to
   * `maxAttempts` (3 by default) in `retryMode`, `$metadata.attempts` counting them. The output
   * `Body` is the bytes with the SDK's `transformToString(encoding?)`.
   */
  async invokeEndpoint(input: WithStreamedBody<InvokeEndpointInput>, options: InvokeOptions = {}): Promise<InvokeEndpointOutput & { Body: OutputBody }> {
    const ready = await withReadBody(input, MAX_BODY_BYTES);
    return withPromiseRetry((signal) => toPromise(this.invokeEndpoint$(ready as InvokeEndpointInput).pipe(output()), { signal }), this.promiseRetry, options.signal).then((out) => ({
      ...out,
      Body: toOutputBody(out.Body),
    }));
  }

  /**
   * Invokes an endpoint with a streamed response: returns a cold Observable of `sent`, `headers`
   * (`ContentType` of the container, `InvokedProductionVariant`, `CustomAttributes`), one `chunk`
   * per `PayloadPart` as it arrives (`bytes`, `index`), then `response` (a summary: `chunks`,
   * `bytes`, `durationMs`) — or an `error` event (an HTTP error, a mid-stream `ModelStreamError` or
   * `InternalStreamFailure`, a truncated or corrupt frame, a reset) — then completes.
   * Unsubscribing aborts the request at once. Reframe the chunks with `lines()`, `jsonLines()`,
   * `serverSentEvents()` or `textDeltas()`. See docs/streaming.md.
   *
   * @example
   * ```ts
   * import { textDeltas } from 'sagemaker-rx';
   * client.invokeEndpointWithResponseStream$({ EndpointName: 'llm', Body: JSON.stringify({ inputs: 'Hi', stream: true }) })
   *   .pipe(textDeltas())
   *   .subscribe((e) => e.type === 'text' && process.stdout.write(e.text));
   * ```
   */
  invokeEndpointWithResponseStream$(input: InvokeEndpointWithResponseStreamInput): Observable<InvokeStreamEvent> {
    return invokeEndpointWithResponseStream$(this.attemptDeps, input);
  }

  /**
   * The Promise twin of `invokeEndpointWithResponseStream$`, in the AWS SDK v3 shape: resolves
   * once the stream has started with its output members and `Body`, an async iterable of
   * `{ PayloadPart: { Bytes } }` that throws the stream's typed error; leaving the loop early
   * aborts the request. Rejects with the typed error when the call fails before streaming.
   */
  invokeEndpointWithResponseStream(input: InvokeEndpointWithResponseStreamInput, options: InvokeOptions = {}): Promise<InvokeEndpointWithResponseStreamOutput> {
    // Paced: the handler stops reading the socket while the reader is behind.
    return withPromiseRetry(
      (signal) => toResponseStreamPromise((demand) => invokeEndpointWithResponseStream$(this.attemptDeps, input, demand), { ...options, signal }),
      this.promiseRetry,
      options.signal,
    );
  }

  /**
   * Queues an asynchronous inference: returns a cold Observable of `sent`, then `accepted`
   * (`InferenceId`, `OutputLocation`, `FailureLocation`, `$metadata`) or `error`, then completes.
   * Exactly one of `Body` (inline, at most 128,000 bytes) and `InputLocation` is required;
   * `RequestTTLSeconds` (60–21600), `InvocationTimeoutSeconds` (1–3600), `Filename` and
   * `S3OutputPathExtension` are validated before anything is sent.
   */
  invokeEndpointAsync$(input: InvokeEndpointAsyncInput): Observable<InvokeAsyncEvent> {
    return invokeEndpointAsync$(this.attemptDeps, input);
  }

  /** The Promise twin of `invokeEndpointAsync$`: resolves with the output, rejects with the typed error. */
  async invokeEndpointAsync(input: WithStreamedBody<InvokeEndpointAsyncInput>, options: InvokeOptions = {}): Promise<InvokeEndpointAsyncOutput> {
    const ready = (await withReadBody(input, MAX_ASYNC_BODY_BYTES)) as InvokeEndpointAsyncInput;
    return withPromiseRetry((signal) => toPromise(this.invokeEndpointAsync$(ready).pipe(output()), { signal }), this.promiseRetry, options.signal);
  }

  /**
   * Waits for the result of an accepted async inference (the `accepted` event or the output of
   * `invokeEndpointAsync`): a cold Observable that polls `OutputLocation`, then
   * `FailureLocation`, with S3 `GetObject` requests signed (service `s3`) with this client's
   * credentials and sent through its transport; emits `poll` for each round that found neither,
   * then one `result` (the output bytes, `ContentType`) or one `error` (`AsyncInferenceError`
   * with the failure object, `TimeoutError` after `timeoutMs`, an S3 error), then completes.
   * Unsubscribing aborts the request in flight and the pause. See docs/lifecycle.md.
   *
   * @example
   * ```ts
   * import { filter, switchMap } from 'rxjs';
   * import { isAcceptedEvent, isResultEvent } from 'sagemaker-rx';
   * client.invokeEndpointAsync$({ EndpointName: 'reviews', Body: '{"text":"great"}' }).pipe(
   *   filter(isAcceptedEvent),
   *   switchMap((accepted) => client.waitForAsyncResult$(accepted, { pollIntervalMs: 2_000 })),
   *   filter(isResultEvent),
   * ).subscribe((e) => console.log(new TextDecoder().decode(e.output.Body)));
   * ```
   */
  waitForAsyncResult$(
    accepted: InvokeAcceptedEvent | Pick<InvokeEndpointAsyncOutput, 'OutputLocation' | 'FailureLocation' | 'InferenceId'>,
    options: ClientWaitForAsyncResultOptions = {},
  ): Observable<AsyncResultEvent> {
    const { s3 = {}, ...config } = options;
    const region = s3.region ?? this.region;
    const credentials = s3.credentials === undefined ? this.credentialResolver : createCredentialResolver(s3.credentials, { defaultProvider: createDefaultProvider, defaultProviderDescription: DEFAULT_PROVIDER_DESCRIPTION });
    const signer = createRequestSigner({ region, credentials, service: 's3' });
    const objectUrl = s3ObjectUrl(region, s3.endpoint ?? this.customEndpoint);
    return pollAsyncResult$({ transport: this.transport, signer, objectUrl }, accepted, config);
  }

  /**
   * Closes the transport's pooled connections. From then on every call answers with one final
   * `ClientDestroyedError` event (not retried, nothing sent, no `sent` event); requests still in
   * flight end with the same error.
   */
  async destroy(): Promise<void> {
    this.#destroyed = true;
    await this.transport.destroy();
  }
}

/** The per-operation body caps from the config's one number or per-operation numbers, checked. */
function responseCaps(option: SageMakerRuntimeConfig['maxResponseBytes']): AttemptDeps['maxResponseBytes'] {
  if (option === undefined) return undefined;
  if (typeof option === 'number') {
    const n = positive('maxResponseBytes', option);
    return { InvokeEndpoint: n, InvokeEndpointWithResponseStream: n, InvokeEndpointAsync: n };
  }
  const caps: Record<string, number> = {};
  for (const [operation, n] of Object.entries(option)) if (n !== undefined) caps[operation] = positive(`maxResponseBytes.${operation}`, n);
  return caps;
}

function positive(name: string, value: number): number {
  if (!(Number.isSafeInteger(value) && value > 0)) throw new RangeError(`SageMakerRuntime: ${name} must be an integer > 0, got ${value}`);
  return value;
}

/** An input whose `Body` may also be streamed (`Blob`, `ReadableStream`, Node `Readable`): the Promise twins read it first. */
export type WithStreamedBody<I extends { Body?: unknown }> = Omit<I, 'Body'> & { Body?: I['Body'] | StreamedBody };

/** The SDK's `customUserAgent` as header text: a string as given, pairs as `name/version`. */
function formatUserAgent(custom: string | ReadonlyArray<readonly [string, string?]>): string {
  if (typeof custom === 'string') return custom;
  return custom.map(([name, version]) => (version ? `${name}/${version}` : name)).join(' ');
}
