/**
 * The names this instrumentation writes: the OpenTelemetry semantic conventions for AWS SDK
 * calls (`rpc.*`, `cloud.region`, `aws.request_id`, `server.*`, `http.*`, `error.type`), our own
 * `aws.sagemaker.*` attributes for what only a SageMaker call has, and the metric names.
 */
export const ATTR = {
  rpcSystem: 'rpc.system',
  rpcService: 'rpc.service',
  rpcMethod: 'rpc.method',
  cloudRegion: 'cloud.region',
  awsRequestId: 'aws.request_id',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  httpRequestMethod: 'http.request.method',
  httpResponseStatusCode: 'http.response.status_code',
  httpResendCount: 'http.request.resend_count',
  errorType: 'error.type',
  endpointName: 'aws.sagemaker.endpoint_name',
  targetVariant: 'aws.sagemaker.target_variant',
  targetModel: 'aws.sagemaker.target_model',
  inferenceComponent: 'aws.sagemaker.inference_component',
  invokedVariant: 'aws.sagemaker.invoked_production_variant',
  attempt: 'aws.sagemaker.attempt',
  outcome: 'aws.sagemaker.outcome',
  chunkCount: 'aws.sagemaker.chunk_count',
  timeToFirstChunkMs: 'aws.sagemaker.time_to_first_chunk_ms',
  errorFault: 'aws.sagemaker.error.fault',
  errorRetryable: 'aws.sagemaker.error.retryable',
  errorThrottling: 'aws.sagemaker.error.throttling',
  limiterId: 'sagemaker_rx.limiter.id',
} as const;

/** `rpc.system` of AWS SDK calls, and the service name of SageMaker Runtime. */
export const RPC_SYSTEM = 'aws-api';
export const RPC_SERVICE = 'SageMakerRuntime';

/** The span event of a response stream's first `PayloadPart`. */
export const FIRST_CHUNK_EVENT = 'sagemaker_rx.first_chunk';

/** The instrumentation scope of the tracer and meter. */
export const INSTRUMENTATION_SCOPE = 'sagemaker-rx';

/** Metric names (units in the instrument definitions). */
export const METRIC = {
  invocationDuration: 'sagemaker_rx.invocation.duration',
  timeToFirstChunk: 'sagemaker_rx.invocation.time_to_first_chunk',
  invocationsInFlight: 'sagemaker_rx.invocations.in_flight',
  attemptsPerCall: 'sagemaker_rx.call.attempts',
  retries: 'sagemaker_rx.retries',
  throttles: 'sagemaker_rx.throttles',
  limiterQueueLength: 'sagemaker_rx.limiter.queue_length',
  limiterInFlight: 'sagemaker_rx.limiter.in_flight',
  limiterConcurrencyLimit: 'sagemaker_rx.limiter.concurrency_limit',
  limiterRateLimit: 'sagemaker_rx.limiter.rate_limit',
  limiterWait: 'sagemaker_rx.limiter.wait',
  batchSize: 'sagemaker_rx.batch.size',
  batchBytes: 'sagemaker_rx.batch.bytes',
} as const;

/** Bucket boundaries for durations in seconds (the semantic conventions' HTTP duration buckets). */
export const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60];
