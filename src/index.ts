// sagemaker-rx: the public surface, listed by name. A name not listed here is internal.

// ── Client ────────────────────────────────────────────────────────────────────────────────
export { SageMakerRuntime } from './client/sagemaker-runtime.js';
export type { SageMakerRuntimeConfig } from './client/config.js';
export type { InvokeOptions } from './client/to-promise.js';
export type { InvokeEndpointWithResponseStreamOutput, ResponseStreamPayloadEvent } from './client/invoke-stream-promise.js';
export type { AwsCredentials, AwsCredentialsProvider } from './credentials/aws-credentials.js';
export type { ClientWaitForAsyncResultOptions } from './client/sagemaker-runtime.js';

// Async results: wait for an accepted async inference's output or failure object (S3, SigV4 service s3)
export {
  waitForAsyncResult$,
  DEFAULT_ASYNC_POLL_INTERVAL_MS,
  DEFAULT_ASYNC_RESULT_TIMEOUT_MS,
  type WaitForAsyncResultConfig,
  type WaitForAsyncResultOptions,
  type AsyncResultS3Options,
} from './client/wait-for-async-result.js';

// ── Inputs and outputs (the AWS SDK v3 shapes and member names) ──────────────────────────
export type {
  BodyInput,
  InvokeEndpointInput,
  InvokeEndpointOutput,
  InvokeEndpointWithResponseStreamInput,
  InvokeEndpointWithResponseStreamHeaders,
  InvokeEndpointWithResponseStreamSummary,
  InvokeEndpointAsyncInput,
  InvokeEndpointAsyncOutput,
  ResponseMetadata,
} from './model/shapes.js';
export { MAX_BODY_BYTES, MAX_ASYNC_BODY_BYTES } from './model/members.js';

// ── Lifecycle events ──────────────────────────────────────────────────────────────────────
export type {
  AnyInvokeEvent,
  InvokeEvent,
  InvokeStreamEvent,
  InvokeAsyncEvent,
  InvokeTerminalEvent,
  InvokeOperatorEvent,
  InvokeSentEvent,
  InvokeResponseEvent,
  InvokeErrorEvent,
  InvokeRetryEvent,
  InvokeQueuedEvent,
  InvokeHeadersEvent,
  InvokeChunkEvent,
  InvokeAcceptedEvent,
  SentRequest,
} from './events/invoke-event.js';
export {
  isSentEvent,
  isResponseEvent,
  isErrorEvent,
  isRetryEvent,
  isQueuedEvent,
  isHeadersEvent,
  isChunkEvent,
  isAcceptedEvent,
  isTerminalEvent,
} from './events/guards.js';
export { output, type OutputOf } from './events/output.js';
export {
  isPollEvent,
  isResultEvent,
  type AsyncResultEvent,
  type InvokePollEvent,
  type InvokeResultEvent,
  type AsyncInferenceResult,
} from './events/async-result-event.js';
export type { EndpointInvoker } from './events/invoker.js';

// ── Errors ────────────────────────────────────────────────────────────────────────────────
export { SageMakerRuntimeError, isSageMakerRuntimeError } from './errors/sagemaker-runtime-error.js';
export {
  ValidationError,
  ModelError,
  ModelNotReadyException,
  InternalFailure,
  ServiceUnavailable,
  InternalDependencyException,
  ModelStreamError,
  InternalStreamFailure,
  ServiceError,
  isValidationError,
  isModelError,
  isModelNotReadyException,
  isInternalFailure,
  isServiceUnavailable,
  isInternalDependencyException,
  isModelStreamError,
  isInternalStreamFailure,
} from './errors/service-errors.js';
export {
  InvalidRequestError,
  NetworkError,
  TimeoutError,
  CredentialsError,
  RedirectError,
  ResponseTooLargeError,
  ClientDestroyedError,
  isInvalidRequestError,
  isNetworkError,
  isTimeoutError,
  isCredentialsError,
  isRedirectError,
  isResponseTooLargeError,
  isClientDestroyedError,
  type TimeoutPhase,
  type SizeLimitSubject,
} from './errors/client-errors.js';
export { AsyncInferenceError, isAsyncInferenceError } from './errors/async-inference-error.js';
export { classifyError, type Classification, type ClassificationInput } from './errors/classification.js';
export { EVENT_STREAM_ERROR_CODES, type EventStreamErrorCode } from './protocol/event-stream.js';

// ── Resilience operators ──────────────────────────────────────────────────────────────────
export { retryInvocation, type RetryInvocationConfig } from './operators/resilience/retry-invocation.js';
export { timeoutInvocation, type TimeoutInvocationConfig } from './operators/resilience/timeout-invocation.js';
export { throttleInvocations } from './operators/resilience/throttle-invocations.js';
export {
  createLimiter,
  type CreateLimiterConfig,
  type AdaptiveLimiterConfig,
  type Limiter,
  type LimiterState,
  type LimiterPermit,
  type LimiterTicket,
} from './operators/resilience/create-limiter.js';
export type { LimiterAimdConfig } from './retry/aimd-window.js';
export type { AdaptiveRateConfig } from './retry/adaptive-rate.js';
export { createRetryQuota, type RetryQuota, type RetryQuotaConfig } from './retry/retry-quota.js';

// ── Pipeline operators ────────────────────────────────────────────────────────────────────
export { invokeEach, type InvokeEachConfig, type ToInvokeInput } from './operators/pipelines/invoke-each.js';
export { batchInvocations, type BatchInvocationsConfig, type BatchContext } from './operators/pipelines/batch-invocations.js';
export type { InvocationOptions } from './operators/pipelines/invocation-options.js';
export {
  isInvocationSuccess,
  isInvocationFailure,
  type InvocationResult,
  type InvocationSuccess,
  type InvocationFailure,
  type BatchResult,
  type BatchSuccess,
  type BatchFailure,
  type BatchInfo,
  type SettledInvocation,
} from './operators/pipelines/invocation-result.js';
export { BatchDecodeError, isBatchDecodeError } from './operators/pipelines/batch-decode-error.js';
export { jsonArrayCodec, type JsonArrayCodecConfig } from './operators/pipelines/codecs/json-array-codec.js';
export { jsonLinesCodec, type JsonLinesCodecConfig } from './operators/pipelines/codecs/json-lines-codec.js';
export { csvCodec, type CsvCodecConfig, type CsvField, type CsvItem } from './operators/pipelines/codecs/csv-codec.js';
export type { Codec, CodecFrame, CodecName } from './operators/pipelines/codecs/codec.js';

// ── Response-stream reframing ─────────────────────────────────────────────────────────────
export { lines, isLineEvent, type InvokeLineEvent } from './operators/reframing/lines.js';
export { jsonLines, isRecordEvent, type InvokeRecordEvent } from './operators/reframing/json-lines.js';
export { serverSentEvents, isSseEvent, type InvokeSseEvent, type ServerSentEventsConfig } from './operators/reframing/server-sent-events.js';
export { textDeltas, isTextEvent, DEFAULT_TEXT_DELTA_PATHS, type InvokeTextEvent, type TextDeltasConfig } from './operators/reframing/text-deltas.js';
export { StreamParseError, isStreamParseError, type StreamFormat } from './operators/reframing/reframe-error.js';

// ── Endpoints and transports ──────────────────────────────────────────────────────────────
export { resolveEndpoint, type EndpointParams } from './protocol/endpoints.js';
export type { Transport, TransportRequest, TransportResponse, TransportBody } from './transport/transport.js';
export { createUndiciTransport, type UndiciTransportOptions } from './transport/undici-transport.js';
export { createFetchTransport, type FetchTransportOptions } from './transport/fetch-transport.js';

// ── Defaults (every user-overridable default, with its unit) ─────────────────────────────
export {
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_READ_TIMEOUT_MS,
  CREDENTIALS_REFRESH_WINDOW_MS,
  DEFAULT_CREDENTIALS_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_EVENT_STREAM_FRAME_BYTES,
  DEFAULT_MAX_EVENT_STREAM_HEADERS_BYTES,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_THROTTLING_RETRY_BASE_DELAY_MS,
  DEFAULT_MAX_RETRY_DELAY_MS,
  DEFAULT_RETRY_QUOTA_CAPACITY,
  DEFAULT_AIMD_INITIAL_CONCURRENCY,
  DEFAULT_AIMD_WINDOWS_PER_INCREASE,
  DEFAULT_INVOKE_EACH_CONCURRENCY,
  DEFAULT_MAX_BATCH_SIZE,
  DEFAULT_MAX_BATCH_WAIT_MS,
  DEFAULT_BATCH_CONCURRENCY,
} from './defaults.js';

// ── Diagnostics (node:diagnostics_channel channels, their messages, the client's logger) ──
export { DIAGNOSTICS_CHANNELS, type DiagnosticsChannelKey } from './diagnostics/channel-names.js';
export type {
  AttemptEndMessage,
  AttemptFirstChunkMessage,
  AttemptHeadersMessage,
  AttemptStartMessage,
  BatchSentMessage,
  CallEndMessage,
  DiagnosticsCall,
  DiagnosticsError,
  DiagnosticsInvocation,
  DiagnosticsLimiter,
  DiagnosticsMessages,
  DiagnosticsOutcome,
  LimiterGrantedMessage,
  LimiterQueuedMessage,
  RetryScheduledMessage,
} from './diagnostics/messages.js';
export { subscribeDiagnostics, type DiagnosticsListeners } from './diagnostics/subscribe-diagnostics.js';
export type { Logger, LogLevel } from './diagnostics/logger.js';
