/**
 * The emulator's public types: options, endpoint and fault configuration, model functions,
 * the request log and the running `Emulator` handle.
 */
import type { OperationName } from '../model/index.js';

/** A key pair (and optional session token) the emulator accepts for SigV4. */
export interface EmulatorCredential {
  accessKeyId: string;
  secretAccessKey: string;
  /** When set, requests must carry `x-amz-security-token` equal to it. */
  sessionToken?: string;
}

/** The names of the built-in models. */
export type BuiltInModelName = 'echo' | 'sentiment' | 'text-generator';

/** What a model function receives: the request as the container would see it. */
export interface ModelRequest {
  /** The raw request body (for async with `InputLocation`, the object it names). */
  body: Buffer;
  /** The request's content type (`Content-Type`, or `X-Amzn-SageMaker-Content-Type` for async). */
  contentType?: string;
  /** The accept header (`Accept`, or `X-Amzn-SageMaker-Accept` for the streaming and async operations). */
  accept?: string;
  /** `X-Amzn-SageMaker-Custom-Attributes`. */
  customAttributes?: string;
  /**
   * The request's API headers (lower-case names): only those bound to a member of the
   * operation reach the container, as the service strips every other header.
   */
  headers: Record<string, string>;
  endpointName: string;
  operation: OperationName;
  /** The production variant serving the request. */
  variant: string;
  /** The `TargetModel` of a multi-model endpoint. */
  targetModel?: string;
  /** The inference component serving the request. */
  inferenceComponent?: string;
  /** The container serving the request on a multi-container endpoint (`TargetContainerHostname`). */
  containerHostname?: string;
  /** Aborted when the client closes the request or the emulator closes. */
  signal: AbortSignal;
}

/** What a model function answers. */
export interface ModelResponse {
  body: string | Uint8Array;
  /** @default 'application/octet-stream' */
  contentType?: string;
  /** Returned as `X-Amzn-SageMaker-Custom-Attributes`. */
  customAttributes?: string;
  /** The container's status: non-2xx becomes a 424 `ModelError` with `OriginalStatusCode`. @default 200 */
  status?: number;
  /**
   * A session the container opened (answered as `X-Amzn-SageMaker-New-Session-Id: <id>; Expires=…`).
   * The container creates sessions, not the service: without it nothing is answered. The built-in
   * models open one when asked with `SessionId: NEW_SESSION`.
   */
  newSessionId?: string;
  /** A session the container closed (answered as `X-Amzn-SageMaker-Closed-Session-Id`). */
  closedSessionId?: string;
}

/** A user model for `InvokeEndpoint` (and, sent as one or more PayloadParts, for the streaming operation). */
export type ModelFunction = (req: ModelRequest) => ModelResponse | Promise<ModelResponse>;

/** A chunk a streaming model yields: each becomes one `PayloadPart`. */
export type StreamChunk = string | Uint8Array;

/** A streaming model's answer: the chunks, with the container's content type and custom attributes. */
export interface StreamModelResponse {
  chunks: AsyncIterable<StreamChunk> | Iterable<StreamChunk>;
  /** Returned as `X-Amzn-SageMaker-Content-Type`. @default 'application/octet-stream' */
  contentType?: string;
  customAttributes?: string;
}

/**
 * A user model for the streaming operation: returns an (async) iterable of chunks, or a
 * `StreamModelResponse`. Called for `InvokeEndpoint` too, the chunks then joined into one body.
 */
export type StreamModelFunction = (
  req: ModelRequest,
) =>
  | AsyncIterable<StreamChunk>
  | Iterable<StreamChunk>
  | StreamModelResponse
  | Promise<AsyncIterable<StreamChunk> | Iterable<StreamChunk> | StreamModelResponse>;

/** A fault `failWhen` may pick for one request. */
export type FaultName = 'throttle' | 'serverError' | 'modelError' | 'dependencyError' | 'reset';

/** Where PayloadPart boundaries fall in a streamed body. */
export type SplitAt = number[] | 'random' | 'utf8-inside';

/** Options of the streaming output (the `text-generator` model, and how any streamed body is cut). */
export interface GeneratorConfig {
  /** PayloadParts per second. @default 50 (tokens/s) for `text-generator`; no delay for other models */
  tokensPerSecond?: number;
  /** `jsonl`: `{"token":{"text":"…"}}\n` per token; `sse`: `data: {"token":{"text":"…"}}\n\n`. @default 'jsonl' */
  format?: 'jsonl' | 'sse';
  /** The text the generator emits, token by token. @default DEFAULT_GENERATOR_TEXT */
  text?: string;
  /**
   * Cut the output bytes into PayloadParts at these byte offsets, at random offsets (seeded),
   * or inside every multi-byte UTF-8 character. @default one PayloadPart per token (text-generator), one for the whole body (others)
   */
  splitAt?: SplitAt;
}

/** A mid-stream fault of the streaming operation. */
export interface StreamFaultConfig {
  /**
   * `ModelStreamError` / `InternalStreamFailure`: an `exception` frame, then the body ends;
   * `truncate`: half a frame, then the body ends; `stall`: nothing more is sent, the socket stays
   * open until the client leaves or `close()`.
   */
  fault?: 'ModelStreamError' | 'InternalStreamFailure' | 'truncate' | 'stall';
  /** PayloadParts sent before the fault. @default 1 */
  afterChunks?: number;
  /** The `ErrorCode` of a `ModelStreamError`. @default 'ModelInvocationTimeExceeded' */
  errorCode?: 'ModelInvocationTimeExceeded' | 'StreamBroken';
}

/** Faults of one endpoint. Every rate is a probability 0..1, drawn per request from the seeded RNG. */
export interface FaultConfig {
  /** Fixed delay before the model runs, in ms; the client may leave during it. @default 0 */
  latencyMs?: number;
  /** A uniform random extra delay of 0..jitterMs ms. @default 0 */
  jitterMs?: number;
  /** @default 0 */
  throttleRate?: number;
  /** 429 `ModelNotReadyException` or 400 `ThrottlingException`. @default 'ThrottlingException' */
  throttleAs?: 'ModelNotReadyException' | 'ThrottlingException';
  /** @default 0 */
  serverErrorRate?: number;
  /** 500 `InternalFailure` or 503 `ServiceUnavailable`. @default 500 */
  serverErrorStatus?: 500 | 503;
  /** @default 0 */
  modelErrorRate?: number;
  /** The container status reported as `OriginalStatusCode` of the 424 `ModelError`. @default 500 */
  modelErrorStatus?: number;
  /** Destroy the socket without answering. @default 0 */
  resetRate?: number;
  /** Requests in flight on this endpoint above which new ones are throttled. @default unlimited */
  maxConcurrency?: number;
  /** @default 'ThrottlingException' */
  overConcurrencyAs?: 'ThrottlingException' | 'ModelNotReadyException';
  /** Requests admitted in the last 1,000 ms above which new ones are throttled (as `throttleAs`). @default unlimited */
  maxRatePerSecond?: number;
  /** A deterministic per-request fault (e.g. a poison record); wins over the random draws. */
  failWhen?: (req: ModelRequest) => FaultName | undefined;
  /** A mid-stream fault of the streaming operation. */
  stream?: StreamFaultConfig;
}

/** What runs behind an endpoint, a variant, an inference component or a container. */
export type EndpointModel = BuiltInModelName | ModelFunction | StreamModelFunction;

/** One production variant of a multi-variant endpoint. */
export interface VariantConfig {
  model: EndpointModel;
  /** Its share of the traffic that names no `TargetVariant` (relative to the others). @default 1 */
  weight?: number;
}

/** One inference component, or one container of a multi-container endpoint. */
export interface HostedModelConfig {
  model: EndpointModel;
}

/**
 * One endpoint. Its kind follows from what is set (exactly one of `model`, `variants`,
 * `inferenceComponents`, `containers`):
 * - single model: `model` (and `variant`, its one production variant's name);
 * - multi-model: `model` and `targetModels`, the models it can load (`TargetModel` required);
 * - multi-variant: `variants`, picked by weight unless `TargetVariant` names one;
 * - inference components: `inferenceComponents` (`InferenceComponentName` required);
 * - multi-container with direct invocation: `containers` by hostname (`TargetContainerHostname` required).
 * A request member that does not fit the kind is answered with the service's `ValidationError`.
 */
export interface EndpointConfig {
  model?: EndpointModel;
  /** The production variant of a single-model endpoint, answered as `x-Amzn-Invoked-Production-Variant`. @default 'AllTraffic' */
  variant?: string;
  /** A multi-model endpoint's models (`TargetModel` values, e.g. `model-a.tar.gz`); `model` serves each, told which by `req.targetModel`. */
  targetModels?: string[];
  /** A multi-variant endpoint: variant name → its model and weight. */
  variants?: Record<string, VariantConfig>;
  /** An endpoint of inference components: component name → its model. */
  inferenceComponents?: Record<string, HostedModelConfig>;
  /** A multi-container endpoint in direct-invocation mode: container hostname → its model. */
  containers?: Record<string, HostedModelConfig>;
  /** A Clarify explainer is configured: `EnableExplanations` is accepted. @default false */
  explainer?: boolean;
  faults?: FaultConfig;
  generator?: GeneratorConfig;
}

/** Options of `startEmulator`. */
export interface EmulatorOptions {
  /** @default 0 (an ephemeral port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** The signing region requests must be scoped to. @default 'us-east-1' (EMULATOR_REGION) */
  region?: string;
  /** The accepted keys; `false` turns SigV4 verification off. @default [EMULATOR_CREDENTIALS] */
  credentials?: EmulatorCredential[] | false;
  /** @default { echo: { model: 'echo' }, sentiment: { model: 'sentiment' }, generator: { model: 'text-generator' } } */
  endpoints?: Record<string, EndpointConfig>;
  /** The account in messages and ARNs. @default '123456789012' */
  accountId?: string;
  /**
   * How long a real-time model may take before the service gives up on it with a 424
   * `ModelError` (`OriginalStatusCode` 0); the service's limit is 60 s. Counted from admission,
   * so `latencyMs` counts. @default 60_000
   */
  modelTimeoutMs?: number;
  /** Seeds the fault RNG (one stream per endpoint) so runs are repeatable. @default 20170513 */
  seed?: number;
  /** Allowed difference between `x-amz-date` and the emulator's clock, in ms. @default 300_000 (5 min) */
  clockSkewMs?: number;
  /**
   * Most requests kept in `requests`, a ring of the newest (older ones are dropped first); `0`
   * keeps none, `Infinity` all. Counters (`stats`) count every request either way.
   * @default 1_000
   */
  recordRequests?: number;
  /**
   * Answer CORS preflights and expose the response headers the client reads, so a page in a
   * browser can call the emulator directly. AWS serves no CORS for this API. @default false
   */
  cors?: boolean;
}

/** One request as it arrived, and how it was answered. */
export interface RecordedRequest {
  /** The `x-amzn-RequestId` it was (or would have been) answered with. */
  id: string;
  /** The SageMaker Runtime operation, the object store's S3 operation, or `Unknown`. */
  operation: OperationName | 'GetObject' | 'HeadObject' | 'PutObject' | 'Unknown';
  endpointName?: string;
  method: string;
  /** The request path as sent (still URL-encoded), without the query. */
  path: string;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /**
   * The body, filled in once it has been read and the request authenticated (a rejected
   * request's body is not kept); `bodyLength` is its size either way.
   */
  body: Buffer;
  /** The size of the body that arrived, in bytes. */
  bodyLength: number;
  /** `Date.now()` when the request's headers arrived. */
  receivedAt: number;
  /** The status answered; undefined if nothing was answered (reset, client left). */
  status?: number;
  /** The `x-amzn-ErrorType` name answered, for errors. */
  errorType?: string;
  /** For streams: the `:exception-type` of a mid-stream exception frame, or `truncate` / `stall`. */
  streamFault?: string;
  /** For an accepted async inference: what its background run wrote, once it has. */
  asyncOutcome?: 'output' | 'failure';
  /** For the object store: the `s3://bucket/key` asked for. */
  objectUri?: string;
  /** The client closed or aborted before the response was complete. */
  closedByClient: boolean;
  /** `Date.now()` when the response ended or the connection closed. */
  completedAt?: number;
}

/** Counters across all endpoints. */
export interface EmulatorStats {
  /** Requests whose response has not ended yet. */
  inFlight: number;
  /** The most requests in flight at once since start or `reset()`. */
  maxInFlight: number;
  /** Requests received. */
  total: number;
  /** Answers by HTTP status. */
  byStatus: Record<number, number>;
}

/** Counters of one endpoint. */
export interface EndpointStats {
  /** Admitted requests whose response has not ended yet. */
  inFlight: number;
  maxInFlight: number;
  /** Requests routed to this endpoint (after authentication). */
  total: number;
  /** Requests throttled (rate, concurrency cap or `throttleRate`). */
  throttled: number;
}

/** A running emulator. */
export interface Emulator {
  /** `http://127.0.0.1:PORT` — pass it as the client's `endpoint`. */
  readonly url: string;
  readonly port: number;
  /** The signing region the emulator expects. */
  readonly region: string;
  /**
   * The newest requests that arrived (at most `recordRequests`, default 1,000), in arrival order;
   * the same array for the emulator's lifetime. `stats.total` counts them all.
   */
  readonly requests: RecordedRequest[];
  /** Counters across endpoints (the same object, updated in place). */
  readonly stats: EmulatorStats;
  /**
   * The async results written so far, by S3 URI (`s3://bucket/key`): what `GetObject` on the
   * emulator answers. Also a place to put an `InputLocation` object: `objects.set(uri, { body })`.
   */
  readonly objects: EmulatorObjectStore;
  /** Resolves once every async inference accepted so far has written its output or failure. */
  asyncIdle(): Promise<void>;
  /** Counters of one endpoint (zeroes for an unknown name). */
  endpointStats(name: string): EndpointStats;
  /** Adds or replaces an endpoint at run time. @throws {EmulatorConfigError} when the config is invalid (naming the key) */
  setEndpoint(name: string, config: EndpointConfig): void;
  /** Removes an endpoint; later requests to it get the unknown-endpoint `ValidationError`. */
  removeEndpoint(name: string): void;
  /**
   * Resolves with the first recorded request (already recorded or still to come) that satisfies
   * `predicate`, re-checked whenever a request arrives, is answered or is closed; rejects after
   * `timeoutMs`. @default timeoutMs 5_000
   */
  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Clears the request log and the counters and re-seeds the fault RNGs. */
  reset(): void;
  /** Closes the server and every open socket (keep-alive, stalled streams); resolves when closed. */
  close(): Promise<void>;
}

/** An object the emulator's S3 store holds. */
export interface StoredObject {
  body: Buffer;
  /** @default 'application/octet-stream' */
  contentType?: string;
}

/** The emulator's S3-compatible store: async outputs and failures, and inputs users put there. */
export interface EmulatorObjectStore {
  get(uri: string): StoredObject | undefined;
  set(uri: string, object: { body: string | Uint8Array; contentType?: string }): void;
  delete(uri: string): boolean;
  /** Every stored URI, oldest first. */
  keys(): string[];
}
