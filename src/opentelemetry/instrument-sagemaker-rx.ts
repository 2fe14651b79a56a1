/**
 * `instrumentSageMakerRx`: OpenTelemetry traces and metrics from the library's diagnostics
 * channels. Nothing in the library calls OpenTelemetry; this module listens to the facts the
 * attempt engine and the operators publish and turns them into spans and measurements.
 */
import {
  context,
  metrics,
  SpanKind,
  SpanStatusCode,
  trace,
  ValueType,
  type Attributes,
  type MeterProvider,
  type Span,
  type TracerProvider,
} from '@opentelemetry/api';
import {
  subscribeDiagnostics,
  type AttemptEndMessage,
  type DiagnosticsInvocation,
  type DiagnosticsLimiter,
  type DiagnosticsOutcome,
} from '../index.js';
import { ATTR, FIRST_CHUNK_EVENT, INSTRUMENTATION_SCOPE, METRIC, RPC_SERVICE, RPC_SYSTEM, SECONDS_BUCKETS } from './semantic-attributes.js';

/** Options of `instrumentSageMakerRx`. */
export interface InstrumentSageMakerRxConfig {
  /** Where spans go. @default the global provider (`trace.getTracerProvider()`) */
  tracerProvider?: TracerProvider;
  /** Where metrics go. @default the global provider (`metrics.getMeterProvider()`) */
  meterProvider?: MeterProvider;
}

/** What the instrumentation keeps of an attempt between its start and its end. */
interface OpenAttempt {
  readonly span: Span;
  /** The attributes of its metrics (low cardinality: operation, endpoint). */
  readonly metricAttributes: Attributes;
}

/** Most distinct metric attribute sets kept for reuse; beyond it sets are built per record. */
const MAX_CACHED_ATTRIBUTE_SETS = 1_000;

/**
 * Metric attribute sets, built once per combination and then shared: a pipeline records the same
 * few sets millions of times, and the SDK keys its aggregations on them.
 */
class AttributeSets {
  private readonly sets = new Map<string, Attributes>();

  get(operation: string | undefined, endpointName: string | undefined, outcome?: DiagnosticsOutcome, statusCode?: number, errorType?: string): Attributes {
    const key = `${operation}\u0000${endpointName}\u0000${outcome}\u0000${statusCode}\u0000${errorType}`;
    let attributes = this.sets.get(key);
    if (attributes === undefined) {
      attributes = { [ATTR.rpcSystem]: RPC_SYSTEM, [ATTR.rpcService]: RPC_SERVICE };
      if (operation !== undefined) attributes[ATTR.rpcMethod] = operation;
      if (endpointName !== undefined) attributes[ATTR.endpointName] = endpointName;
      if (outcome !== undefined) attributes[ATTR.outcome] = outcome;
      if (statusCode !== undefined) attributes[ATTR.httpResponseStatusCode] = statusCode;
      if (errorType !== undefined) attributes[ATTR.errorType] = errorType;
      if (this.sets.size < MAX_CACHED_ATTRIBUTE_SETS) this.sets.set(key, attributes);
    }
    return attributes;
  }
}

/**
 * Instruments every client and operator of this library in the process, and returns the function
 * that stops it.
 *
 * Each attempt becomes a CLIENT span named `SageMakerRuntime.<operation>`, a child of the context
 * that was active when the call was subscribed, with the semantic-convention attributes of an AWS
 * SDK call (`rpc.system` `aws-api`, `rpc.service`, `rpc.method`, `cloud.region`,
 * `aws.request_id`, `server.address`, `http.response.status_code`, `error.type`) and the
 * endpoint, target variant or model, and attempt number. A failed attempt's span has status
 * ERROR and the error's name as `error.type`; a cancelled one ends when it was cancelled, with
 * `aws.sagemaker.outcome` `cancelled`. A response stream's span has a `sagemaker_rx.first_chunk`
 * event and its chunk count. Metrics: attempt duration and time to first chunk (histograms, s),
 * attempts per call, retries, throttles, invocations in flight, limiter queue length, limits and
 * waits, batch sizes and bytes.
 *
 * Listening starts now; calls already in flight are not traced. Calling the returned function
 * stops listening (spans still open are not ended) and unregisters the limiter gauges.
 *
 * @example
 * ```ts
 * import { NodeSDK } from '@opentelemetry/sdk-node';
 * import { instrumentSageMakerRx } from 'sagemaker-rx/opentelemetry';
 *
 * new NodeSDK().start();                      // the global tracer and meter providers
 * const stop = instrumentSageMakerRx();       // every call is now a span
 * // … on shutdown: stop();
 * ```
 */
export function instrumentSageMakerRx(config: InstrumentSageMakerRxConfig = {}): () => void {
  if (config === null || typeof config !== 'object') throw new TypeError(`instrumentSageMakerRx: config must be an object, got ${String(config)}`);
  const tracer = (config.tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_SCOPE);
  const meter = (config.meterProvider ?? metrics.getMeterProvider()).getMeter(INSTRUMENTATION_SCOPE);
  const seconds = { unit: 's', advice: { explicitBucketBoundaries: SECONDS_BUCKETS } };

  const duration = meter.createHistogram(METRIC.invocationDuration, { ...seconds, description: 'Duration of each attempt, from subscription to its end.' });
  const timeToFirstChunk = meter.createHistogram(METRIC.timeToFirstChunk, { ...seconds, description: 'Time from an attempt\u2019s subscription to the first chunk of its response stream.' });
  const inFlight = meter.createObservableUpDownCounter(METRIC.invocationsInFlight, { unit: '{invocation}', description: 'Attempts sent and not yet ended.', valueType: ValueType.INT });
  // Counted here and observed at collection: two fewer measurements per attempt.
  const inFlightCounts = new Map<Attributes, number>();
  const observeInFlight = (result: { observe(value: number, attributes?: Attributes): void }) => {
    for (const [attributes, count] of inFlightCounts) result.observe(count, attributes);
  };
  inFlight.addCallback(observeInFlight);
  const attributeSets = new AttributeSets();
  const attemptsPerCall = meter.createHistogram(METRIC.attemptsPerCall, {
    unit: '{attempt}',
    description: 'Attempts made per call (1 for a call without retryInvocation).',
    valueType: ValueType.INT,
    advice: { explicitBucketBoundaries: [1, 2, 3, 4, 5, 10] },
  });
  const retries = meter.createCounter(METRIC.retries, { unit: '{retry}', description: 'Retries scheduled by retryInvocation.', valueType: ValueType.INT });
  const throttles = meter.createCounter(METRIC.throttles, { unit: '{attempt}', description: 'Attempts that ended with a throttling error.', valueType: ValueType.INT });
  const limiterWait = meter.createHistogram(METRIC.limiterWait, { ...seconds, description: 'Time an invocation waited for a limiter permit.' });
  const batchSize = meter.createHistogram(METRIC.batchSize, {
    unit: '{item}',
    description: 'Items per batch sent by batchInvocations.',
    valueType: ValueType.INT,
    advice: { explicitBucketBoundaries: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] },
  });
  const batchBytes = meter.createHistogram(METRIC.batchBytes, { unit: 'By', description: 'Request body bytes per batch sent by batchInvocations.', valueType: ValueType.INT });
  const queueLength = meter.createObservableGauge(METRIC.limiterQueueLength, { unit: '{invocation}', description: 'Invocations waiting for a limiter permit.', valueType: ValueType.INT });
  const limiterInFlight = meter.createObservableGauge(METRIC.limiterInFlight, { unit: '{invocation}', description: 'Permits a limiter has granted and not had back.', valueType: ValueType.INT });
  const concurrencyLimit = meter.createObservableGauge(METRIC.limiterConcurrencyLimit, { unit: '{invocation}', description: 'The concurrency cap a limiter enforces now (adaptive limiters move it).' });
  const rateLimit = meter.createObservableGauge(METRIC.limiterRateLimit, { unit: '{invocation}/s', description: 'The rate a limiter enforces now (adaptive limiters move it).' });

  // Limiters seen on the channels, held weakly: a limiter dropped by its pipelines stops reporting.
  const limiterIds = new WeakMap<DiagnosticsLimiter, number>();
  const limiters = new Map<number, WeakRef<DiagnosticsLimiter>>();
  let lastLimiterId = 0;
  const limiterId = (limiter: DiagnosticsLimiter): number => {
    let id = limiterIds.get(limiter);
    if (id === undefined) {
      id = ++lastLimiterId;
      limiterIds.set(limiter, id);
      limiters.set(id, new WeakRef(limiter));
    }
    return id;
  };
  const observeLimiters: Parameters<typeof meter.addBatchObservableCallback>[0] = (result) => {
    for (const [id, ref] of limiters) {
      const limiter = ref.deref();
      if (limiter === undefined) {
        limiters.delete(id);
        continue;
      }
      const state = limiter.state();
      const attributes = { [ATTR.limiterId]: id };
      result.observe(queueLength, state.queued, attributes);
      result.observe(limiterInFlight, state.inFlight, attributes);
      if (state.maxConcurrency !== undefined) result.observe(concurrencyLimit, state.maxConcurrency, attributes);
      if (state.ratePerSecond !== undefined) result.observe(rateLimit, state.ratePerSecond, attributes);
    }
  };
  const gauges = [queueLength, limiterInFlight, concurrencyLimit, rateLimit];
  meter.addBatchObservableCallback(observeLimiters, gauges);

  const open = new WeakMap<DiagnosticsInvocation, OpenAttempt>();

  const stop = subscribeDiagnostics({
    attemptStart: ({ invocation }) => {
      const metricAttributes = attributeSets.get(invocation.operation, invocation.endpointName);
      const attributes: Attributes = {
        [ATTR.rpcSystem]: RPC_SYSTEM,
        [ATTR.rpcService]: RPC_SERVICE,
        [ATTR.rpcMethod]: invocation.operation,
        [ATTR.endpointName]: invocation.endpointName,
        [ATTR.serverAddress]: invocation.serverAddress,
        [ATTR.serverPort]: invocation.serverPort,
        [ATTR.httpRequestMethod]: invocation.request.method,
        [ATTR.attempt]: invocation.attempt,
      };
      if (invocation.region !== undefined) attributes[ATTR.cloudRegion] = invocation.region;
      if (invocation.attempt > 1) attributes[ATTR.httpResendCount] = invocation.attempt - 1;
      if (invocation.targetVariant !== undefined) attributes[ATTR.targetVariant] = invocation.targetVariant;
      if (invocation.targetModel !== undefined) attributes[ATTR.targetModel] = invocation.targetModel;
      if (invocation.inferenceComponentName !== undefined) attributes[ATTR.inferenceComponent] = invocation.inferenceComponentName;
      // Published from the attempt's own async continuation, so the active context is the one the
      // call was subscribed in (with an AsyncLocalStorage context manager, as the Node SDK's).
      const span = tracer.startSpan(
        `${RPC_SERVICE}.${invocation.operation}`,
        { kind: SpanKind.CLIENT, attributes, startTime: invocation.startTime },
        context.active(),
      );
      open.set(invocation, { span, metricAttributes });
      inFlightCounts.set(metricAttributes, (inFlightCounts.get(metricAttributes) ?? 0) + 1);
    },
    attemptHeaders: ({ invocation, statusCode, requestId }) => {
      const attempt = open.get(invocation);
      if (attempt === undefined) return;
      attempt.span.setAttribute(ATTR.httpResponseStatusCode, statusCode);
      if (requestId !== undefined) attempt.span.setAttribute(ATTR.awsRequestId, requestId);
    },
    attemptFirstChunk: ({ invocation, timeToFirstChunkMs, time }) => {
      const attempt = open.get(invocation);
      if (attempt === undefined) return;
      attempt.span.addEvent(FIRST_CHUNK_EVENT, { [ATTR.timeToFirstChunkMs]: timeToFirstChunkMs }, time);
      timeToFirstChunk.record(timeToFirstChunkMs / 1000, attempt.metricAttributes);
    },
    attemptEnd: (message) => {
      const attempt = open.get(message.invocation);
      if (attempt === undefined) return;
      open.delete(message.invocation);
      endSpan(attempt.span, message);
      const { metricAttributes } = attempt;
      inFlightCounts.set(metricAttributes, (inFlightCounts.get(metricAttributes) ?? 1) - 1);
      const { operation, endpointName, call } = message.invocation;
      const errorType = message.error?.name;
      duration.record(message.durationMs / 1000, attributeSets.get(operation, endpointName, message.outcome, message.statusCode, errorType));
      if (message.error?.throttling === true) throttles.add(1, attributeSets.get(operation, endpointName, undefined, undefined, errorType));
      if (call === undefined) attemptsPerCall.record(1, attributeSets.get(operation, endpointName, message.outcome));
    },
    retryScheduled: ({ call, error }) => {
      retries.add(1, attributeSets.get(call.operation, call.endpointName, undefined, undefined, error.name));
    },
    callEnd: ({ call, attempts, outcome, error }) => {
      attemptsPerCall.record(attempts, attributeSets.get(call.operation, call.endpointName, outcome, undefined, error?.name));
    },
    limiterQueued: ({ limiter }) => {
      limiterId(limiter);
    },
    limiterGranted: ({ limiter, waitedMs }) => {
      limiterWait.record(waitedMs / 1000, { [ATTR.limiterId]: limiterId(limiter) });
    },
    batchSent: ({ endpointName, size, bytes }) => {
      const attributes = { [ATTR.endpointName]: endpointName };
      batchSize.record(size, attributes);
      batchBytes.record(bytes, attributes);
    },
  });

  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    stop();
    meter.removeBatchObservableCallback(observeLimiters, gauges);
    inFlight.removeCallback(observeInFlight);
    limiters.clear();
  };
}

/** Sets the end facts on an attempt's span (one `setAttributes`) and ends it at the attempt's end time. */
function endSpan(span: Span, message: AttemptEndMessage): void {
  const { outcome, statusCode, requestId, error, chunks, invocation } = message;
  const attributes: Attributes = { [ATTR.outcome]: outcome };
  if (statusCode !== undefined) attributes[ATTR.httpResponseStatusCode] = statusCode;
  if (requestId !== undefined) attributes[ATTR.awsRequestId] = requestId;
  if (message.invokedProductionVariant !== undefined) attributes[ATTR.invokedVariant] = message.invokedProductionVariant;
  if (invocation.operation === 'InvokeEndpointWithResponseStream') attributes[ATTR.chunkCount] = chunks;
  if (error !== undefined) {
    attributes[ATTR.errorType] = error.name;
    attributes[ATTR.errorFault] = error.fault;
    attributes[ATTR.errorRetryable] = error.retryable;
    attributes[ATTR.errorThrottling] = error.throttling;
  }
  span.setAttributes(attributes);
  if (error !== undefined) {
    span.recordException({ name: error.name, message: error.message }, message.time);
    span.setStatus({ code: SpanStatusCode.ERROR, message: `${error.name}: ${error.message}` });
  }
  span.end(message.time);
}
