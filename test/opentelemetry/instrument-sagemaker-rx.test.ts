/**
 * instrumentSageMakerRx end to end: real calls over loopback sockets to the emulator, spans from
 * the OpenTelemetry SDK's in-memory exporter and metrics from a pull reader, each compared with
 * what the emulator counted.
 */
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { from, lastValueFrom, toArray } from 'rxjs';
import { SageMakerRuntime } from '../../src/client/sagemaker-runtime';
import { startEmulator, EMULATOR_CREDENTIALS, type Emulator } from '../../src/emulator/index';
import type { InvokeEvent } from '../../src/events/invoke-event';
import { retryInvocation } from '../../src/operators/resilience/retry-invocation';
import { invokeEach } from '../../src/operators/pipelines/invoke-each';
import { batchInvocations } from '../../src/operators/pipelines/batch-invocations';
import { createLimiter } from '../../src/operators/resilience/create-limiter';
import { enableContext, startOtelHarness, type OtelHarness } from './otel-harness';

const REGION = 'us-east-1';

describe('instrumentSageMakerRx against the emulator', () => {
  let emu: Emulator;
  let client: SageMakerRuntime;
  let otel: OtelHarness;
  let disableContext: () => void;
  let flakyFailures = 0; // requests to `flaky` still to fail

  beforeAll(async () => {
    disableContext = enableContext();
    emu = await startEmulator({
      seed: 7,
      endpoints: {
        echo: { model: 'echo', variant: 'blue' },
        flaky: {
          model: 'echo',
          variant: 'blue',
          faults: { serverErrorStatus: 503, failWhen: () => (flakyFailures-- > 0 ? 'serverError' : undefined) },
        },
        mostly: { model: 'echo', faults: { serverErrorRate: 0.1, serverErrorStatus: 503 } },
        busy: { model: 'echo', faults: { throttleRate: 1 } },
        slow: { model: 'echo', faults: { latencyMs: 10_000 } },
        generator: { model: 'text-generator', generator: { tokensPerSecond: 1000, text: 'one two three four' } },
      },
    });
    client = new SageMakerRuntime({ region: REGION, endpoint: emu.url, credentials: EMULATOR_CREDENTIALS });
  });
  afterAll(async () => {
    await client.destroy();
    await emu.close();
    disableContext();
  });
  beforeEach(() => {
    emu.reset();
    otel = startOtelHarness();
  });
  afterEach(async () => {
    await otel.close();
  });

  it('gives a retried call one CLIENT span per attempt, each with its status code, request id and error', async () => {
    flakyFailures = 2;
    const events = await lastValueFrom(
      client.invokeEndpoint$({ EndpointName: 'flaky', Body: 'hi', TargetVariant: 'blue' }).pipe(retryInvocation({ maxAttempts: 3, delayMs: 1 }), toArray()),
    );
    expect(events.map((e) => e.type)).toEqual(['sent', 'retry', 'sent', 'retry', 'sent', 'response']);

    const spans = otel.spans();
    expect(spans).toHaveLength(3);
    const ids = emu.requests.map((r) => r.id);
    expect(ids).toHaveLength(3);
    spans.forEach((span, i) => {
      expect(span.name).toBe('SageMakerRuntime.InvokeEndpoint');
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.attributes).toMatchObject({
        'rpc.system': 'aws-api',
        'rpc.service': 'SageMakerRuntime',
        'rpc.method': 'InvokeEndpoint',
        'cloud.region': REGION,
        'server.address': '127.0.0.1',
        'server.port': emu.port,
        'aws.sagemaker.endpoint_name': 'flaky',
        'aws.sagemaker.target_variant': 'blue',
        'aws.sagemaker.attempt': i + 1,
        'aws.request_id': ids[i],
        'http.response.status_code': i < 2 ? 503 : 200,
      });
    });
    for (const failed of spans.slice(0, 2)) {
      expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: expect.stringMatching(/^ServiceUnavailable: /) });
      expect(failed.attributes).toMatchObject({
        'error.type': 'ServiceUnavailable',
        'aws.sagemaker.outcome': 'error',
        'aws.sagemaker.error.retryable': true,
        'aws.sagemaker.error.throttling': false,
        'aws.sagemaker.error.fault': 'server',
      });
      expect(failed.events.map((e) => e.name)).toEqual(['exception']);
    }
    expect(spans[2]!.status.code).toBe(SpanStatusCode.UNSET);
    expect(spans[2]!.attributes['error.type']).toBeUndefined();
    expect(spans[2]!.attributes['aws.sagemaker.outcome']).toBe('response');
    expect(spans[2]!.attributes['http.request.resend_count']).toBe(2);
    // Each attempt is its own span, one after the other.
    expect(new Set(spans.map((s) => s.spanContext().spanId)).size).toBe(3);
    expect(hrMs(spans[1]!.startTime)).toBeGreaterThanOrEqual(hrMs(spans[0]!.endTime) - 1);

    expect(await otel.sum('sagemaker_rx.retries')).toBe(2);
    const attempts = await otel.histogram('sagemaker_rx.call.attempts');
    expect({ count: attempts.count, sum: attempts.sum }).toEqual({ count: 1, sum: 3 });
    expect((await otel.histogram('sagemaker_rx.invocation.duration')).count).toBe(3);
  });

  it('makes the span of each attempt a child of the context active when the call was subscribed', async () => {
    const tracer = otel.tracerProvider.getTracer('test');
    const parent = tracer.startSpan('enrich-record');
    flakyFailures = 1;
    await context.with(trace.setSpan(context.active(), parent), () =>
      lastValueFrom(client.invokeEndpoint$({ EndpointName: 'flaky', Body: 'x' }).pipe(retryInvocation({ maxAttempts: 2, delayMs: 5 }), toArray())),
    );
    parent.end();
    const attempts = otel.spans().filter((s) => s.name.startsWith('SageMakerRuntime.'));
    expect(attempts).toHaveLength(2);
    for (const span of attempts) {
      expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
      expect(span.spanContext().traceId).toBe(parent.spanContext().traceId);
    }
  });

  it('gives a stream span its time-to-first-chunk event and its chunk count', async () => {
    const events = await lastValueFrom(client.invokeEndpointWithResponseStream$({ EndpointName: 'generator', Body: '{"inputs":"go"}' }).pipe(toArray()));
    const chunks = events.filter((e) => e.type === 'chunk').length;
    expect(chunks).toBeGreaterThan(1);

    const [span] = otel.spans();
    expect(span!.name).toBe('SageMakerRuntime.InvokeEndpointWithResponseStream');
    expect(span!.attributes).toMatchObject({ 'rpc.method': 'InvokeEndpointWithResponseStream', 'aws.sagemaker.chunk_count': chunks, 'http.response.status_code': 200 });
    const firstChunk = span!.events.filter((e) => e.name === 'sagemaker_rx.first_chunk');
    expect(firstChunk).toHaveLength(1);
    const ttfc = firstChunk[0]!.attributes!['aws.sagemaker.time_to_first_chunk_ms'] as number;
    expect(ttfc).toBeGreaterThan(0);
    expect(ttfc).toBeLessThanOrEqual(hrMs(span!.endTime) - hrMs(span!.startTime) + 1);
    const histogram = await otel.histogram('sagemaker_rx.invocation.time_to_first_chunk');
    expect(histogram.count).toBe(1);
    expect(histogram.sum).toBeCloseTo(ttfc / 1000, 6);
  });

  it('ends the span of a cancelled call as cancelled when the subscriber leaves', async () => {
    const subscription = client.invokeEndpoint$({ EndpointName: 'slow', Body: 'late' }).subscribe();
    await emu.waitForRequest((r) => r.endpointName === 'slow');
    expect(await otel.sum('sagemaker_rx.invocations.in_flight')).toBe(1);
    subscription.unsubscribe();

    const [span] = otel.spans();
    expect(span).toBeDefined();
    expect(span!.attributes['aws.sagemaker.outcome']).toBe('cancelled');
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    expect(span!.ended).toBe(true);
    expect(await otel.sum('sagemaker_rx.invocations.in_flight')).toBe(0);
    const duration = await otel.histogram('sagemaker_rx.invocation.duration', (a) => a['aws.sagemaker.outcome'] === 'cancelled');
    expect(duration.count).toBe(1);
  });

  it('counts every attempt, retry, wait and call of 1,000 calls with 10 % 503s and maxAttempts 3 exactly as the emulator saw them', async () => {
    const limiter = createLimiter({ maxConcurrency: 8 });
    const results = await lastValueFrom(
      from(Array.from({ length: 1000 }, (_, i) => i)).pipe(
        invokeEach(client, (i) => ({ EndpointName: 'mostly', Body: `record ${i}` }), {
          concurrency: 16,
          limiter,
          retry: { maxAttempts: 3, delayMs: 0 },
        }),
        toArray(),
      ),
    );
    const requests = emu.stats.total;
    const unavailable = emu.stats.byStatus[503] ?? 0;
    const failedCalls = results.filter((r) => r.error !== undefined).length;
    expect(results).toHaveLength(1000);
    expect(unavailable).toBeGreaterThan(50); // the seeded draw gives about 10 %
    expect(requests).toBe(1000 + unavailable - failedCalls);

    const duration = await otel.histogram('sagemaker_rx.invocation.duration');
    expect(duration.count).toBe(requests);
    const byOutcome = async (outcome: string) => (await otel.histogram('sagemaker_rx.invocation.duration', (a) => a['aws.sagemaker.outcome'] === outcome)).count;
    expect(await byOutcome('error')).toBe(unavailable);
    expect(await byOutcome('response')).toBe(requests - unavailable);
    const unavailableAttempts = await otel.histogram('sagemaker_rx.invocation.duration', (a) => a['error.type'] === 'ServiceUnavailable' && a['http.response.status_code'] === 503);
    expect(unavailableAttempts.count).toBe(unavailable);

    const attempts = await otel.histogram('sagemaker_rx.call.attempts');
    expect(attempts.count).toBe(1000);
    expect(attempts.sum).toBe(requests);
    expect((await otel.histogram('sagemaker_rx.call.attempts', (a) => a['aws.sagemaker.outcome'] === 'error')).count).toBe(failedCalls);
    expect(await otel.sum('sagemaker_rx.retries')).toBe(unavailable - failedCalls);
    expect(await otel.sum('sagemaker_rx.throttles')).toBe(0);
    expect(await otel.sum('sagemaker_rx.invocations.in_flight')).toBe(0);
    expect(otel.spans()).toHaveLength(requests);

    // Each attempt took one permit; the limiter is idle now.
    expect((await otel.histogram('sagemaker_rx.limiter.wait')).count).toBe(requests);
    expect(await otel.sum('sagemaker_rx.limiter.queue_length')).toBe(0);
    expect(await otel.sum('sagemaker_rx.limiter.concurrency_limit')).toBe(8);
  });

  it('counts each throttled attempt', async () => {
    const events: InvokeEvent[] = await lastValueFrom(
      client.invokeEndpoint$({ EndpointName: 'busy', Body: 'x' }).pipe(retryInvocation({ maxAttempts: 2, delayMs: 0 }), toArray()),
    );
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { throttling: true } });
    expect(emu.endpointStats('busy').throttled).toBe(2);
    expect(await otel.sum('sagemaker_rx.throttles')).toBe(2);
    expect(await otel.sum('sagemaker_rx.throttles', (a) => a['error.type'] === 'ThrottlingException')).toBe(2);
  });

  it('records each batch of batchInvocations with its size and body bytes', async () => {
    const items = Array.from({ length: 10 }, (_, i) => ({ n: i }));
    const results = await lastValueFrom(
      from(items).pipe(batchInvocations(client, { endpointName: 'echo', maxBatchSize: 4, maxWaitMs: Infinity, concurrency: 1 }), toArray()),
    );
    expect(results.every((r) => r.error === undefined)).toBe(true);
    const sizes = await otel.histogram('sagemaker_rx.batch.size');
    expect({ count: sizes.count, sum: sizes.sum }).toEqual({ count: 3, sum: 10 });
    const bytes = await otel.histogram('sagemaker_rx.batch.bytes');
    expect(bytes.sum).toBe(emu.requests.reduce((a, r) => a + r.body.byteLength, 0));
  });

  it('records nothing once the disposer was called', async () => {
    await otel.close();
    await lastValueFrom(client.invokeEndpoint$({ EndpointName: 'echo', Body: 'x' }).pipe(toArray()));
    expect(emu.stats.total).toBe(1);
    expect(otel.spans()).toHaveLength(0);
    otel = startOtelHarness(); // afterEach closes it
  });
});

function hrMs([s, ns]: [number, number]): number {
  return s * 1000 + ns / 1e6;
}
