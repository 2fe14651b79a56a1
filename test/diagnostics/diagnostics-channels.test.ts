/**
 * The diagnostics channels as a user sees them: subscribed by name with node:diagnostics_channel,
 * while real calls go over loopback sockets to the emulator. Each fact arrives once per attempt.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { from, lastValueFrom, merge, toArray } from 'rxjs';
import { SageMakerRuntime } from '../../src/client/sagemaker-runtime';
import { startEmulator, EMULATOR_CREDENTIALS, type Emulator } from '../../src/emulator/index';
import { retryInvocation } from '../../src/operators/resilience/retry-invocation';
import { throttleInvocations } from '../../src/operators/resilience/throttle-invocations';
import { createLimiter } from '../../src/operators/resilience/create-limiter';
import { batchInvocations } from '../../src/operators/pipelines/batch-invocations';
import { DIAGNOSTICS_CHANNELS } from '../../src/diagnostics/channel-names';
import { attemptChannelsActive } from '../../src/diagnostics/channels';
import { startAttemptDiagnostics } from '../../src/diagnostics/attempt-diagnostics';
import { subscribeDiagnostics } from '../../src/diagnostics/subscribe-diagnostics';
import type {
  AttemptEndMessage,
  AttemptFirstChunkMessage,
  AttemptHeadersMessage,
  AttemptStartMessage,
  BatchSentMessage,
  CallEndMessage,
  LimiterGrantedMessage,
  LimiterQueuedMessage,
  RetryScheduledMessage,
} from '../../src/diagnostics/messages';

/** The channel names, spelled out: they are public and must not drift. */
const NAMES = {
  attemptStart: 'sagemaker-rx:attempt:start',
  attemptHeaders: 'sagemaker-rx:attempt:headers',
  attemptFirstChunk: 'sagemaker-rx:attempt:first-chunk',
  attemptEnd: 'sagemaker-rx:attempt:end',
  retryScheduled: 'sagemaker-rx:retry:scheduled',
  callEnd: 'sagemaker-rx:call:end',
  limiterQueued: 'sagemaker-rx:limiter:queued',
  limiterGranted: 'sagemaker-rx:limiter:granted',
  batchSent: 'sagemaker-rx:batch:sent',
} as const;

interface Seen {
  attemptStart: AttemptStartMessage[];
  attemptHeaders: AttemptHeadersMessage[];
  attemptFirstChunk: AttemptFirstChunkMessage[];
  attemptEnd: AttemptEndMessage[];
  retryScheduled: RetryScheduledMessage[];
  callEnd: CallEndMessage[];
  limiterQueued: LimiterQueuedMessage[];
  limiterGranted: LimiterGrantedMessage[];
  batchSent: BatchSentMessage[];
}

/** Subscribes a recorder to every channel with node:diagnostics_channel itself. */
function record(): { seen: Seen; stop: () => void } {
  const seen = Object.fromEntries(Object.keys(NAMES).map((k) => [k, []])) as unknown as Seen;
  const listeners = Object.entries(NAMES).map(([key, name]) => {
    const listener = (message: unknown) => (seen[key as keyof Seen] as unknown[]).push(message);
    subscribe(name, listener);
    return [name, listener] as const;
  });
  return { seen, stop: () => listeners.forEach(([name, listener]) => unsubscribe(name, listener)) };
}

describe('diagnostics channels', () => {
  let emu: Emulator;
  let client: SageMakerRuntime;
  let flakyFailures = 0;

  beforeAll(async () => {
    emu = await startEmulator({
      endpoints: {
        echo: { model: 'echo' },
        flaky: { model: 'echo', targetModels: ['m.tar.gz'], faults: { serverErrorStatus: 503, failWhen: () => (flakyFailures-- > 0 ? 'serverError' : undefined) } },
        slowish: { model: 'echo', faults: { latencyMs: 30 } },
        generator: { model: 'text-generator', generator: { tokensPerSecond: 1000, text: 'a b c' } },
      },
    });
    client = new SageMakerRuntime({ region: 'us-east-1', endpoint: emu.url, credentials: EMULATOR_CREDENTIALS });
  });
  afterAll(async () => {
    await client.destroy();
    await emu.close();
  });
  beforeEach(() => emu.reset());

  it('keeps the public channel names', () => {
    expect(DIAGNOSTICS_CHANNELS).toEqual(NAMES);
  });

  it('publishes start, headers and end once per attempt of a retried call, a retry between them and one call end', async () => {
    const { seen, stop } = record();
    flakyFailures = 1;
    try {
      await lastValueFrom(client.invokeEndpoint$({ EndpointName: 'flaky', Body: 'hello', TargetModel: 'm.tar.gz' }).pipe(retryInvocation({ maxAttempts: 3, delayMs: 2 }), toArray()));
    } finally {
      stop();
    }
    const ids = emu.requests.map((r) => r.id);
    expect(ids).toHaveLength(2);
    expect(seen.attemptStart.map((m) => m.invocation.attempt)).toEqual([1, 2]);
    const [first, second] = seen.attemptStart.map((m) => m.invocation);
    expect(first).toMatchObject({
      operation: 'InvokeEndpoint',
      endpointName: 'flaky',
      region: 'us-east-1',
      serverAddress: '127.0.0.1',
      serverPort: emu.port,
      targetModel: 'm.tar.gz',
      request: { method: 'POST', url: `${emu.url}/endpoints/flaky/invocations`, bodySize: 5 },
    });
    expect(first!.request.headers.authorization).toBe('[redacted]');
    expect(first!.call).toBeDefined();
    expect(second!.call).toBe(first!.call);
    expect(second!.id).not.toBe(first!.id);

    expect(seen.attemptHeaders.map((m) => [m.invocation, m.statusCode, m.requestId])).toEqual([
      [first, 503, ids[0]],
      [second, 200, ids[1]],
    ]);
    expect(seen.attemptEnd.map((m) => [m.invocation, m.outcome, m.statusCode, m.requestId])).toEqual([
      [first, 'error', 503, ids[0]],
      [second, 'response', 200, ids[1]],
    ]);
    expect(seen.attemptEnd[0]!.error).toMatchObject({ name: 'ServiceUnavailable', fault: 'server', retryable: true, throttling: false, statusCode: 503 });
    expect(seen.attemptEnd[1]!.error).toBeUndefined();
    for (const end of seen.attemptEnd) expect(end.durationMs).toBeGreaterThan(0);

    expect(seen.retryScheduled).toHaveLength(1);
    expect(seen.retryScheduled[0]).toMatchObject({ call: first!.call, attempt: 1, delayMs: 2, error: { name: 'ServiceUnavailable' } });
    expect(seen.callEnd).toEqual([{ call: first!.call, attempts: 2, outcome: 'response' }]);
    expect(seen.attemptFirstChunk).toHaveLength(0);
  });

  it('publishes the first chunk of a stream once, and the chunk count at its end', async () => {
    const { seen, stop } = record();
    let chunks = 0;
    try {
      const events = await lastValueFrom(client.invokeEndpointWithResponseStream$({ EndpointName: 'generator', Body: '{}' }).pipe(toArray()));
      chunks = events.filter((e) => e.type === 'chunk').length;
    } finally {
      stop();
    }
    expect(chunks).toBeGreaterThan(1);
    expect(seen.attemptStart).toHaveLength(1);
    expect(seen.attemptFirstChunk).toHaveLength(1);
    expect(seen.attemptFirstChunk[0]!.invocation).toBe(seen.attemptStart[0]!.invocation);
    expect(seen.attemptFirstChunk[0]!.bytes).toBeGreaterThan(0);
    expect(seen.attemptEnd).toHaveLength(1);
    expect(seen.attemptEnd[0]).toMatchObject({ outcome: 'response', chunks, statusCode: 200 });
    expect(seen.attemptEnd[0]!.invocation.call).toBeUndefined(); // no retryInvocation: an attempt is the call
    expect(seen.callEnd).toHaveLength(0);
  });

  it('publishes a queued and a granted fact per wait for a limiter permit', async () => {
    const { seen, stop } = record();
    const limiter = createLimiter({ maxConcurrency: 1 });
    try {
      const calls = [0, 1, 2].map((i) => client.invokeEndpoint$({ EndpointName: 'slowish', Body: `${i}` }).pipe(throttleInvocations(limiter), retryInvocation()));
      await lastValueFrom(merge(...calls).pipe(toArray()));
    } finally {
      stop();
    }
    expect(seen.limiterQueued.map((m) => [m.limiter, m.position])).toEqual([
      [limiter, 0],
      [limiter, 1],
    ]);
    expect(seen.limiterGranted).toHaveLength(3);
    expect(seen.limiterGranted[0]!.waitedMs).toBe(0);
    expect(seen.limiterGranted[1]!.waitedMs).toBeGreaterThan(0);
    // A grant after a wait still ties the attempt to its own call.
    expect(new Set(seen.attemptStart.map((m) => m.invocation.call?.id)).size).toBe(3);
    expect(seen.callEnd.map((m) => m.call.id).sort()).toEqual(seen.attemptStart.map((m) => m.invocation.call!.id).sort());
  });

  it('publishes each batch with its size and body bytes', async () => {
    const { seen, stop } = record();
    try {
      await lastValueFrom(from([1, 2, 3, 4, 5]).pipe(batchInvocations(client, { endpointName: 'echo', maxBatchSize: 3, maxWaitMs: Infinity, concurrency: 1 }), toArray()));
    } finally {
      stop();
    }
    expect(seen.batchSent.map((m) => [m.endpointName, m.batchId, m.size])).toEqual([
      ['echo', 1, 3],
      ['echo', 2, 2],
    ]);
    expect(seen.batchSent.map((m) => m.bytes)).toEqual(emu.requests.map((r) => r.body.byteLength));
  });

  it('publishes an end with outcome cancelled when the subscriber leaves mid-attempt', async () => {
    const { seen, stop } = record();
    try {
      const sub = client.invokeEndpoint$({ EndpointName: 'slowish', Body: 'x' }).subscribe();
      await emu.waitForRequest((r) => r.endpointName === 'slowish');
      sub.unsubscribe();
      sub.unsubscribe();
    } finally {
      stop();
    }
    expect(seen.attemptEnd.map((m) => m.outcome)).toEqual(['cancelled']);
  });

  it('builds no attempt record while nobody listens, and subscribeDiagnostics stops cleanly', async () => {
    expect(attemptChannelsActive()).toBe(false);
    const init = { operation: 'InvokeEndpoint', input: {}, endpoint: new URL(emu.url), region: 'us-east-1', request: { method: 'POST', url: emu.url, headers: {}, bodySize: 0 }, call: undefined, startTime: 0, logger: undefined } as const;
    expect(startAttemptDiagnostics(init)).toBeUndefined();

    const ends: AttemptEndMessage[] = [];
    const stop = subscribeDiagnostics({ attemptEnd: (m) => ends.push(m) });
    expect(attemptChannelsActive()).toBe(true);
    await lastValueFrom(client.invokeEndpoint$({ EndpointName: 'echo', Body: 'x' }).pipe(toArray()));
    stop();
    stop();
    expect(attemptChannelsActive()).toBe(false);
    await lastValueFrom(client.invokeEndpoint$({ EndpointName: 'echo', Body: 'y' }).pipe(toArray()));
    expect(ends.map((m) => m.outcome)).toEqual(['response']);
  });
});
