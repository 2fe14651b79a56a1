// The resilience operators against the emulator over real sockets: retries under injected 503s,
// no retry of ModelError, the limiter's concurrency and rate caps as the server counts them, the
// adaptive limiter converging on a throttling endpoint, and timeouts that reach the socket.
import { lastValueFrom, mergeMap, range, toArray, type Observable } from 'rxjs';
import { SageMakerRuntime } from '../../src/client/sagemaker-runtime.js';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator, type RecordedRequest } from '../../src/emulator/index.js';
import type { AnyInvokeEvent } from '../../src/events/invoke-event.js';
import { createLimiter, type Limiter } from '../../src/operators/resilience/create-limiter.js';
import { retryInvocation } from '../../src/operators/resilience/retry-invocation.js';
import { throttleInvocations } from '../../src/operators/resilience/throttle-invocations.js';
import { timeoutInvocation } from '../../src/operators/resilience/timeout-invocation.js';
import { createRetryQuota } from '../../src/retry/retry-quota.js';

let emulator: Emulator;
let client: SageMakerRuntime;

beforeAll(async () => {
  emulator = await startEmulator({
    seed: 42,
    endpoints: {
      flaky: { model: 'echo', faults: { serverErrorRate: 0.3, serverErrorStatus: 503 } },
      broken: { model: 'echo', faults: { modelErrorRate: 0.5 } },
      slow: { model: 'echo', faults: { latencyMs: 25 } },
      fast: { model: 'echo' },
      rateLimited: { model: 'echo', faults: { maxRatePerSecond: 20, latencyMs: 5 } },
      hung: { model: 'echo', faults: { latencyMs: 5_000 } },
      workers: { model: 'echo', faults: { maxConcurrency: 4, latencyMs: 30 } },
      capped: { model: 'echo', faults: { maxConcurrency: 4, latencyMs: 10, serverErrorRate: 0.2, serverErrorStatus: 503 } },
    },
  });
  client = new SageMakerRuntime({ region: 'us-east-1', endpoint: emulator.url, credentials: EMULATOR_CREDENTIALS, maxConnections: 64 });
  // warm up (module loading, JIT, first sockets), so the first measured requests are not late
  await runAll(16, 16, (i) => client.invokeEndpoint$(input('fast', i)));
});

afterAll(async () => {
  await client.destroy();
  await emulator.close();
});

beforeEach(() => emulator.reset());

const input = (EndpointName: string, i: number) => ({ EndpointName, Body: JSON.stringify({ i }), ContentType: 'application/json' });

/** Runs `count` calls of `call(i)` with at most `concurrency` at once; resolves with every event of every call, by call. */
async function runAll(count: number, concurrency: number, call: (i: number) => Observable<AnyInvokeEvent>): Promise<AnyInvokeEvent[][]> {
  const byCall: AnyInvokeEvent[][] = Array.from({ length: count }, () => []);
  await lastValueFrom(
    range(0, count).pipe(
      mergeMap(
        (i) =>
          new Promise<void>((resolve, reject) => {
            call(i).subscribe({ next: (e) => byCall[i]!.push(e), error: reject, complete: resolve });
          }),
        concurrency,
      ),
      toArray(),
    ),
  );
  return byCall;
}

const terminal = (events: AnyInvokeEvent[]) => events.filter((e) => e.type === 'response' || e.type === 'error');
const invocations = (name: string): RecordedRequest[] => emulator.requests.filter((r) => r.endpointName === name);

/** The most requests received in any window of `windowMs` ms. */
function maxInWindow(requests: RecordedRequest[], windowMs: number): number {
  const times = requests.map((r) => r.receivedAt).sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; j < times.length; j += 1) {
    while (times[j]! - times[i]! >= windowMs) i += 1;
    max = Math.max(max, j - i + 1);
  }
  return max;
}

describe('retryInvocation over real sockets', () => {
  it('with 30 % of requests answered 503, 500 calls under maxAttempts 5 each end with one terminal event, and every failure used all 5 attempts', async () => {
    const quota = createRetryQuota();
    const byCall = await runAll(500, 32, (i) =>
      client.invokeEndpoint$(input('flaky', i)).pipe(retryInvocation({ maxAttempts: 5, baseDelayMs: 20, quota })),
    );
    const ends = byCall.map(terminal);
    expect(ends.every((t) => t.length === 1)).toBe(true);
    const responses = ends.filter(([t]) => t!.type === 'response');
    const failures = ends.filter(([t]) => t!.type === 'error').map(([t]) => (t as Extract<AnyInvokeEvent, { type: 'error' }>).error);
    // p(5 × 503 in a row) = 0.3^5 = 0.24 %: ~1.2 of 500 calls may exhaust their attempts, never more than a handful
    expect(responses.length).toBeGreaterThanOrEqual(495);
    for (const error of failures) expect(error).toMatchObject({ name: 'ServiceUnavailable', $metadata: { attempts: 5 } });
    // each response says how many attempts it took, and the server saw exactly that many requests
    const attempts = byCall.map((events) => {
      const end = terminal(events)[0]!;
      return end.type === 'response' ? (end.output as { $metadata: { attempts: number } }).$metadata.attempts : end.error.$metadata.attempts!;
    });
    const retried = attempts.filter((a) => a > 1).length;
    expect(retried).toBeGreaterThan(100); // ~30 % of calls needed a retry
    expect(invocations('flaky')).toHaveLength(attempts.reduce((a, b) => a + b, 0));
    expect(invocations('flaky').filter((r) => r.status === 503).length).toBe(attempts.reduce((a, b) => a + b, 0) - responses.length);
    // the echo body came back for the right call
    for (const [i, events] of byCall.entries()) {
      const end = terminal(events)[0]!;
      if (end.type === 'response') expect(new TextDecoder().decode((end.output as { Body: Uint8Array }).Body)).toBe(JSON.stringify({ i }));
    }
  });

  it('does not retry ModelError: the emulator sees exactly one request per call', async () => {
    const byCall = await runAll(40, 8, (i) => client.invokeEndpoint$(input('broken', i)).pipe(retryInvocation({ maxAttempts: 5 })));
    const ends = byCall.map((events) => terminal(events)[0]!);
    const modelErrors = ends.filter((e) => e.type === 'error');
    expect(modelErrors.length).toBeGreaterThan(5);
    for (const e of modelErrors) expect(e).toMatchObject({ error: { name: 'ModelError', retryable: false, $metadata: { attempts: 1 } } });
    expect(byCall.flat().some((e) => e.type === 'retry')).toBe(false);
    expect(invocations('broken')).toHaveLength(40);
  });
});

describe('throttleInvocations over real sockets', () => {
  it("keeps the emulator's own count of concurrent requests within the limiter's maxConcurrency", async () => {
    const limiter = createLimiter({ maxConcurrency: 4 });
    const byCall = await runAll(60, 30, (i) => client.invokeEndpoint$(input('slow', i)).pipe(throttleInvocations(limiter)));
    expect(byCall.every((events) => terminal(events)[0]?.type === 'response')).toBe(true);
    expect(emulator.endpointStats('slow')).toMatchObject({ total: 60, throttled: 0 });
    expect(emulator.endpointStats('slow').maxInFlight).toBeLessThanOrEqual(4);
    expect(emulator.endpointStats('slow').maxInFlight).toBe(4); // and the cap was used
    expect(byCall.filter((events) => events[0]?.type === 'queued').length).toBeGreaterThan(40);
    expect(limiter.state()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it('keeps the observed request rate within ratePerSecond + burst', async () => {
    const limiter = createLimiter({ ratePerSecond: 20, burst: 5 });
    const started = Date.now();
    await runAll(35, 35, (i) => client.invokeEndpoint$(input('fast', i)).pipe(throttleInvocations(limiter)));
    const elapsed = Date.now() - started;
    const requests = invocations('fast');
    expect(requests).toHaveLength(35);
    // Arrival times are grant times plus the client's own latency (signing, sockets), which varies
    // by up to ~200 ms on a busy machine and can bunch arrivals: allow 0.2 s worth of the rate.
    expect(maxInWindow(requests, 1000)).toBeLessThanOrEqual(20 + 5 + 20 * 0.2);
    // 5 at once, then 30 at 20/s: at least 1.5 s
    expect(elapsed).toBeGreaterThanOrEqual(1450);
    const times = requests.map((r) => r.receivedAt).sort((a, b) => a - b);
    const sustained = (times.length - 1 - 5) / ((times.at(-1)! - times[5]!) / 1000);
    expect(sustained).toBeLessThanOrEqual(20 * 1.1);
    expect(sustained).toBeGreaterThan(20 * 0.7); // and it was not needlessly slow
  });

  /**
   * Keeps `workers` calls going for `durationMs` through `limiter` (throttle inside retry, as
   * recommended) and returns the server's record of them.
   */
  async function load(limiter: Limiter, durationMs: number, workers = 8, endpoint = 'rateLimited'): Promise<{ requests: RecordedRequest[]; start: number }> {
    const start = Date.now();
    const quota = createRetryQuota();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (Date.now() - start < durationMs) {
        const call$ = client.invokeEndpoint$(input(endpoint, next++)).pipe(throttleInvocations(limiter), retryInvocation({ maxAttempts: 3, quota }));
        await lastValueFrom(call$, { defaultValue: undefined });
      }
    };
    await Promise.all(Array.from({ length: workers }, worker));
    return { requests: invocations(endpoint), start };
  }
  const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
  const throttleShare = (requests: RecordedRequest[]) => requests.filter((r) => r.errorType === 'ThrottlingException').length / requests.length;

  it('an adaptive limiter converges to under 5 % throttled requests on an endpoint that throttles above 20/s; a fixed high limit does not', async () => {
    const fixed = await load(createLimiter({ ratePerSecond: 200 }), 1_500);
    const fixedShare = throttleShare(fixed.requests);
    emulator.reset();

    const adaptive = createLimiter({ adaptive: true });
    const run = await load(adaptive, 10_000);
    const later = run.requests.filter((r) => r.receivedAt >= run.start + 6_000);
    const laterShare = throttleShare(later);
    const fixedLater = fixed.requests.filter((r) => r.receivedAt >= fixed.start + 750);
    // runs on a loaded 2-core machine: fixed 34–55 % throttled (37–55 % in its second half);
    // adaptive 0–2.4 % over its last 4 s, at ~18 requests/s
    const summary =
      `fixed: ${fixed.requests.length} requests, ${pct(fixedShare)} throttled (${pct(throttleShare(fixedLater))} in its second half); ` +
      `adaptive, last 4 s: ${later.length} requests, ${pct(laterShare)} throttled; limiter ${JSON.stringify(adaptive.state())}`;
    // one assertion with every number in its message
    expect({ fixedHigh: fixedShare > 0.2, fixedStillHigh: throttleShare(fixedLater) > 0.2, adaptiveSending: later.length > 30, adaptiveLow: laterShare < 0.05, summary }).toEqual({
      fixedHigh: true,
      fixedStillHigh: true,
      adaptiveSending: true, // still sending: converged, not stalled
      adaptiveLow: true,
      summary,
    });
    expect(adaptive.state()).toMatchObject({ inFlight: 0, queued: 0 });
  }, 25_000);
  it('on an endpoint limited to 4 concurrent requests, AIMD on concurrency converges within a second to under 5 % throttled; 16 unmanaged callers do not', async () => {
    const unmanaged = await load(createLimiter({ maxConcurrency: 16 }), 1_000, 16, 'workers');
    emulator.reset();
    const aimd = createLimiter({ maxConcurrency: 16, adaptive: { rate: false, concurrency: true } });
    const run = await load(aimd, 3_000, 16, 'workers');
    const later = run.requests.filter((r) => r.receivedAt >= run.start + 1_000);
    const summary =
      `unmanaged: ${unmanaged.requests.length} requests, ${pct(throttleShare(unmanaged.requests))} throttled; ` +
      `AIMD, last 2 s: ${later.length} requests, ${pct(throttleShare(later))} throttled; limiter ${JSON.stringify(aimd.state())}`;
    // runs on a loaded 2-core machine: unmanaged 25–27 % throttled; AIMD ~2 % at ~100 answers/s
    expect({
      unmanagedHigh: throttleShare(unmanaged.requests) > 0.1,
      aimdSending: later.length > 100, // the endpoint's capacity is ~130/s: far from stalled
      aimdLow: throttleShare(later) < 0.05,
      summary,
    }).toEqual({ unmanagedHigh: true, aimdSending: true, aimdLow: true, summary });
    expect(aimd.state().maxConcurrency).toBeLessThanOrEqual(5);
  }, 15_000);
});

describe('the recommended composition over real sockets', () => {
  it('timeout → throttle → retry → total: every call answered, the endpoint never throttled nor over its cap', async () => {
    const limiter = createLimiter({ maxConcurrency: 4, adaptive: true });
    const byCall = await runAll(120, 32, (i) =>
      client.invokeEndpoint$(input('capped', i)).pipe(
        timeoutInvocation(2_000), // each attempt
        throttleInvocations(limiter), // each attempt takes a permit; a backoff wait holds none
        retryInvocation({ maxAttempts: 6, baseDelayMs: 20, quota: client.retryQuota }),
        timeoutInvocation({ total: 15_000 }), // the caller's deadline
      ),
    );
    const ends = byCall.map(terminal);
    expect(ends.every((t) => t.length === 1 && t[0]!.type === 'response')).toBe(true);
    expect(byCall.flat().filter((e) => e.type === 'retry').length).toBeGreaterThan(5); // the 503s were retried
    const stats = emulator.endpointStats('capped');
    expect(stats.throttled).toBe(0);
    expect(stats.maxInFlight).toBeLessThanOrEqual(4);
    expect(limiter.state()).toMatchObject({ inFlight: 0, queued: 0, throttledCount: 0 });
  });
});

describe('timeoutInvocation over real sockets', () => {
  it('aborts the request at the deadline: the emulator sees it closed by the client', async () => {
    const started = Date.now();
    const events = await lastValueFrom(client.invokeEndpoint$(input('hung', 0)).pipe(timeoutInvocation(200), toArray()));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(events.map((e) => e.type)).toEqual(['sent', 'error']);
    expect(events[1]).toMatchObject({ error: { name: 'TimeoutError', phase: 'each', ms: 200, retryable: true } });
    const closed = await emulator.waitForRequest((r) => r.endpointName === 'hung' && r.closedByClient, 2_000);
    expect(closed.status).toBeUndefined(); // nothing was answered
  });

  it('inside retryInvocation, each timed-out attempt is aborted and retried with a new request', async () => {
    const events = await lastValueFrom(
      client.invokeEndpoint$(input('hung', 1)).pipe(timeoutInvocation(150), retryInvocation({ maxAttempts: 2, baseDelayMs: 10 }), toArray()),
    );
    expect(events.map((e) => `${e.type}:${e.attempt}`)).toEqual(['sent:1', 'retry:1', 'sent:2', 'error:2']);
    expect(events.at(-1)).toMatchObject({ error: { name: 'TimeoutError', phase: 'each', $metadata: { attempts: 2 } } });
    await emulator.waitForRequest(() => invocations('hung').filter((r) => r.closedByClient).length === 2, 2_000);
    const hung = invocations('hung');
    expect(hung).toHaveLength(2);
    expect(hung.every((r) => r.closedByClient)).toBe(true);
    // a new, freshly signed request each time
    expect(hung.every((r) => r.headers.authorization?.startsWith('AWS4-HMAC-SHA256 '))).toBe(true);
  });

  it('outside retryInvocation, `total` aborts the attempt in flight and ends the call', async () => {
    const events = await lastValueFrom(
      client
        .invokeEndpoint$(input('hung', 2))
        .pipe(timeoutInvocation(100), retryInvocation({ maxAttempts: 10, baseDelayMs: 1 }), timeoutInvocation({ total: 450 }), toArray()),
    );
    const last = events.at(-1)!;
    expect(last).toMatchObject({ type: 'error', error: { name: 'TimeoutError', phase: 'total', retryable: false } });
    expect(terminal(events)).toHaveLength(1);
    await emulator.waitForRequest(() => invocations('hung').every((r) => r.closedByClient), 2_000);
    const hung = invocations('hung');
    expect(hung.length).toBeGreaterThanOrEqual(3);
    expect(hung.length).toBeLessThanOrEqual(5);
    expect(hung.every((r) => r.closedByClient)).toBe(true);
  });
});
