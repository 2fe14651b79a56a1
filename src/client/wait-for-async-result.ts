/**
 * `waitForAsyncResult$`: after `invokeEndpointAsync$` was `accepted`, polls the inference's
 * output and failure locations with SigV4-signed S3 `GetObject` requests (service `s3`) until
 * one of them exists, and ends with the output bytes or the failure as a typed error.
 */
import { Observable, asyncScheduler, type SchedulerLike } from 'rxjs';
import { AsyncInferenceError } from '../errors/async-inference-error.js';
import { InvalidRequestError, NetworkError, TimeoutError } from '../errors/client-errors.js';
import { SageMakerRuntimeError, isSageMakerRuntimeError } from '../errors/sagemaker-runtime-error.js';
import type { AsyncResultEvent, InvokePollEvent } from '../events/async-result-event.js';
import type { InvokeAcceptedEvent } from '../events/invoke-event.js';
import { createCredentialResolver } from '../credentials/credential-resolver.js';
import type { InvokeEndpointAsyncOutput } from '../model/shapes.js';
import { createRequestSigner, type RequestSigner } from '../signing/request-signer.js';
import { createDefaultProvider, DEFAULT_PROVIDER_DESCRIPTION } from '../platform/default-provider.js';
import { createDefaultTransport } from '../platform/default-transport.js';
import type { Transport, TransportResponse } from '../transport/transport.js';
import type { AwsCredentials, AwsCredentialsProvider } from '../credentials/aws-credentials.js';

/** Default pause between two rounds of polling, in ms. */
export const DEFAULT_ASYNC_POLL_INTERVAL_MS = 5_000;
/** Default longest wait, in ms: the service's longest `InvocationTimeoutSeconds` (3,600 s) plus a margin. */
export const DEFAULT_ASYNC_RESULT_TIMEOUT_MS = 3_900_000;

/** Options of `waitForAsyncResult$`. */
export interface WaitForAsyncResultConfig {
  /** Pause between two rounds of polling, in ms. @default 5_000 */
  pollIntervalMs?: number;
  /** Longest wait before a `TimeoutError` (phase `total`), in ms. @default 3_900_000 (65 minutes) */
  timeoutMs?: number;
  /** Timers and `timestamp` come from it. @default asyncScheduler */
  scheduler?: SchedulerLike;
}

/** Where and how to read the result objects. */
export interface AsyncResultS3Options {
  /**
   * An S3-compatible endpoint, addressed path-style (`{endpoint}/{bucket}/{key}`): the emulator's
   * URL serves its own store. @default AWS S3 in `region`, virtual-hosted (`https://{bucket}.s3.{region}.amazonaws.com`)
   */
  endpoint?: string;
  /** The region S3 requests are signed for. */
  region?: string;
  /** @default the default credential chain (on Node, the AWS SDK's) */
  credentials?: AwsCredentials | AwsCredentialsProvider;
  /** @default a transport of its own, closed when the wait ends */
  transport?: Transport;
}

/** Options of the standalone `waitForAsyncResult$`: the wait's, and S3's (its region is required). */
export interface WaitForAsyncResultOptions extends WaitForAsyncResultConfig {
  s3: AsyncResultS3Options & { region: string };
}

/** What the wait needs: a transport, a signer for service `s3`, and where an object lives. */
export interface AsyncResultDeps {
  readonly transport: Transport;
  /** Signs with service `s3` (path as sent, payload hash signed). */
  readonly signer: RequestSigner;
  /** The URL of `s3://bucket/key`. */
  objectUrl(bucket: string, key: string): URL;
}

/** What the wait reads of an accepted inference. */
type AcceptedOutput = Pick<InvokeEndpointAsyncOutput, 'OutputLocation' | 'FailureLocation' | 'InferenceId'>;

const S3_URI = /^s3:\/\/([^/]+)\/(.+)$/;
const EMPTY = new Uint8Array(0);

/** S3's key escaping: every byte but unreserved characters and `/`. */
function encodeKey(key: string): string {
  return key
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/**
 * The URL of an object: path-style under a custom endpoint (`{endpoint}/{bucket}/{key}`, what
 * the emulator and S3-compatible stores serve), else AWS's virtual-hosted style.
 */
export function s3ObjectUrl(region: string, endpoint?: string): (bucket: string, key: string) => URL {
  if (endpoint !== undefined) {
    const base = new URL(endpoint);
    const prefix = base.pathname.replace(/\/+$/, '');
    return (bucket, key) => new URL(`${base.origin}${prefix}/${encodeURIComponent(bucket)}/${encodeKey(key)}`);
  }
  return (bucket, key) => new URL(`https://${bucket}.s3.${region}.amazonaws.com/${encodeKey(key)}`);
}

function parseLocation(member: string, uri: unknown): { bucket: string; key: string } | InvalidRequestError {
  const m = typeof uri === 'string' ? S3_URI.exec(uri) : null;
  if (!m) return new InvalidRequestError({ member, rule: `must be an s3://bucket/key URI (got ${JSON.stringify(uri)})` });
  return { bucket: m[1]!, key: m[2]! };
}

/** The `<Code>` and `<Message>` of an S3 XML error body. */
function s3ErrorOf(response: TransportResponse, body: Uint8Array, location: string): SageMakerRuntimeError {
  const text = new TextDecoder().decode(body);
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? `S3Error${response.statusCode}`;
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? `HTTP ${response.statusCode}`;
  return new SageMakerRuntimeError({
    name: code,
    message: `${message} (reading ${location})`,
    $metadata: { httpStatusCode: response.statusCode, requestId: response.headers['x-amz-request-id'] },
  });
}

/** One signed `GetObject`: the object, `undefined` when it does not exist (404), or the error. */
async function getObject(
  deps: AsyncResultDeps,
  location: string,
  at: { bucket: string; key: string },
  signal: AbortSignal,
): Promise<{ body: Uint8Array; response: TransportResponse } | undefined> {
  const url = deps.objectUrl(at.bucket, at.key);
  const payloadHash = await deps.signer.payloadHash(EMPTY);
  const headers = await deps.signer.sign({ method: 'GET', endpoint: url, path: url.pathname, headers: {}, payloadHash });
  const response = await deps.transport.send({ method: 'GET', url: url.href, headers, body: EMPTY, signal });
  const body = await response.body.bytes();
  if (response.statusCode === 404) return undefined;
  if (response.statusCode < 200 || response.statusCode > 299) throw s3ErrorOf(response, body, location);
  return { body, response };
}

/** Resolves after `ms` on the scheduler, or at once when `signal` aborts. */
function pause(ms: number, scheduler: SchedulerLike, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const action = scheduler.schedule(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      action.unsubscribe();
      resolve();
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The wait over given dependencies (the client's transport and credentials, or the standalone
 * function's). See `waitForAsyncResult$`.
 */
export function pollAsyncResult$(
  deps: AsyncResultDeps,
  accepted: InvokeAcceptedEvent | AcceptedOutput,
  config: WaitForAsyncResultConfig = {},
): Observable<AsyncResultEvent> {
  return poll$(deps, accepted, config);
}

/**
 * Waits for the result of an accepted async inference without a client (use
 * `client.waitForAsyncResult$` to reuse a client's credentials and connections): a cold
 * Observable that, per
 * subscription, polls `OutputLocation` and then `FailureLocation` with signed S3 `GetObject`
 * requests, emits a `poll` event for each round that found neither, and ends with one `result`
 * (the output bytes and content type) or one `error` (an `AsyncInferenceError` carrying the
 * failure object, a `TimeoutError` after `timeoutMs`, an S3 error such as `AccessDenied`, a
 * `NetworkError`), then completes. Unsubscribing aborts the request in flight and the pause.
 *
 * @example
 * ```ts
 * import { waitForAsyncResult$ } from 'sagemaker-rx';
 * const accepted = await client.invokeEndpointAsync({ EndpointName: 'reviews', InputLocation: 's3://in/batch.json' });
 * waitForAsyncResult$(accepted, { s3: { region: 'eu-west-1' }, pollIntervalMs: 10_000 })
 *   .subscribe((e) => e.type === 'result' && console.log(new TextDecoder().decode(e.output.Body)));
 * ```
 */
export function waitForAsyncResult$(accepted: InvokeAcceptedEvent | AcceptedOutput, options: WaitForAsyncResultOptions): Observable<AsyncResultEvent> {
  const { s3, ...config } = options;
  return new Observable<AsyncResultEvent>((subscriber) => {
    const transport = s3.transport ?? createDefaultTransport();
    const signer = createRequestSigner({ region: s3.region, credentials: createCredentialResolver(s3.credentials, { defaultProvider: createDefaultProvider, defaultProviderDescription: DEFAULT_PROVIDER_DESCRIPTION }), service: 's3' });
    const subscription = poll$({ transport, signer, objectUrl: s3ObjectUrl(s3.region, s3.endpoint) }, accepted, config).subscribe(subscriber);
    return () => {
      subscription.unsubscribe();
      if (!s3.transport) void transport.destroy();
    };
  });
}

function poll$(deps: AsyncResultDeps, accepted: InvokeAcceptedEvent | AcceptedOutput, config: WaitForAsyncResultConfig): Observable<AsyncResultEvent> {
  const { pollIntervalMs = DEFAULT_ASYNC_POLL_INTERVAL_MS, timeoutMs = DEFAULT_ASYNC_RESULT_TIMEOUT_MS, scheduler = asyncScheduler } = config;
  if (!(pollIntervalMs >= 0) || !Number.isFinite(pollIntervalMs)) throw new RangeError(`waitForAsyncResult$: pollIntervalMs must be a number >= 0, got ${pollIntervalMs}`);
  if (!(timeoutMs > 0)) throw new RangeError(`waitForAsyncResult$: timeoutMs must be > 0 ms, got ${timeoutMs}`);
  const out: AcceptedOutput = 'type' in accepted && accepted.type === 'accepted' ? accepted.output : (accepted as AcceptedOutput);

  return new Observable<AsyncResultEvent>((subscriber) => {
    const controller = new AbortController();
    const started = scheduler.now();
    const error = (e: SageMakerRuntimeError, attempt: number) => {
      subscriber.next({ type: 'error', attempt, timestamp: scheduler.now(), error: e });
      subscriber.complete();
    };

    const outputAt = parseLocation('OutputLocation', out.OutputLocation);
    const failureAt = out.FailureLocation === undefined ? undefined : parseLocation('FailureLocation', out.FailureLocation);
    if (outputAt instanceof InvalidRequestError) {
      error(outputAt, 1);
      return undefined;
    }
    if (failureAt instanceof InvalidRequestError) {
      error(failureAt, 1);
      return undefined;
    }

    let attempt = 1;
    const run = async () => {
      for (; ; attempt += 1) {
        const output = await getObject(deps, out.OutputLocation!, outputAt, controller.signal);
        if (controller.signal.aborted) return;
        if (output) {
          const ContentType = output.response.headers['content-type'];
          subscriber.next({
            type: 'result',
            attempt,
            timestamp: scheduler.now(),
            durationMs: scheduler.now() - started,
            output: {
              Body: output.body,
              ...(ContentType !== undefined ? { ContentType } : {}),
              ...(out.InferenceId !== undefined ? { InferenceId: out.InferenceId } : {}),
              OutputLocation: out.OutputLocation!,
              $metadata: { httpStatusCode: output.response.statusCode, requestId: output.response.headers['x-amz-request-id'] },
            },
          });
          subscriber.complete();
          return;
        }
        if (failureAt) {
          const failure = await getObject(deps, out.FailureLocation!, failureAt, controller.signal);
          if (controller.signal.aborted) return;
          if (failure) {
            const ContentType = failure.response.headers['content-type'];
            error(
              new AsyncInferenceError({
                failure: failure.body,
                FailureLocation: out.FailureLocation!,
                ...(out.InferenceId !== undefined ? { InferenceId: out.InferenceId } : {}),
                ...(ContentType !== undefined ? { ContentType } : {}),
                $metadata: { httpStatusCode: failure.response.statusCode, requestId: failure.response.headers['x-amz-request-id'] },
              }),
              attempt,
            );
            return;
          }
        }
        const elapsedMs = scheduler.now() - started;
        if (elapsedMs + pollIntervalMs > timeoutMs) {
          error(new TimeoutError({ phase: 'total', ms: timeoutMs, message: `no async result at ${out.OutputLocation} within ${timeoutMs} ms (${attempt} polls)` }), attempt);
          return;
        }
        const poll: InvokePollEvent = { type: 'poll', attempt, timestamp: scheduler.now(), elapsedMs, OutputLocation: out.OutputLocation! };
        if (out.FailureLocation !== undefined) poll.FailureLocation = out.FailureLocation;
        subscriber.next(poll);
        await pause(pollIntervalMs, scheduler, controller.signal);
        if (controller.signal.aborted) return;
      }
    };

    run().catch((err: unknown) => {
      if (controller.signal.aborted) return;
      if (isSageMakerRuntimeError(err)) error(err, attempt);
      else error(new NetworkError({ message: err instanceof Error ? err.message : String(err), cause: err }), attempt);
    });
    return () => controller.abort();
  });
}
