/**
 * The chaos soak: many invocations at concurrency 64 against a server of our own that answers at
 * random (seeded) with 503, 429, 500, 424, resets before the headers and mid-body, stalls, slow
 * answers and successes — through a per-attempt timeout, retries and one shared limiter. Every
 * invocation must end with exactly one terminal event (0 lost, 0 duplicated), every answer must
 * belong to its own invocation, and after the client is destroyed no socket or timer is left
 * (`process.getActiveResourcesInfo()` before and after). Prints the counts and an RSS curve.
 *
 * Size: SOAK_CHAOS_INVOCATIONS (default 10,000, what `npm run test:soak` runs in CI; the full run
 * is `SOAK_CHAOS_INVOCATIONS=100000 npm run test:soak`). Seed: SOAK_CHAOS_SEED.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { from, lastValueFrom, mergeMap } from 'rxjs';
import { SageMakerRuntime } from '../../src/client/sagemaker-runtime';
import type { AnyInvokeEvent } from '../../src/events/invoke-event';
import { createLimiter } from '../../src/operators/resilience/create-limiter';
import { retryInvocation } from '../../src/operators/resilience/retry-invocation';
import { throttleInvocations } from '../../src/operators/resilience/throttle-invocations';
import { timeoutInvocation } from '../../src/operators/resilience/timeout-invocation';

const INVOCATIONS = Number(process.env.SOAK_CHAOS_INVOCATIONS ?? 10_000);
const SEED = Number(process.env.SOAK_CHAOS_SEED ?? 7);
const CONCURRENCY = 64;
/** Per-attempt deadline: far above a loaded machine's answer time, so only stalls reach it. */
const EACH_MS = 1_000;

/** mulberry32: a small seeded PRNG, so a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Fate = 'ok' | 'slow' | '503' | '429' | '500' | '424' | 'reset' | 'reset-mid-body' | 'stall';
const FATES: readonly [Fate, number][] = [
  ['ok', 0.55],
  ['slow', 0.07],
  ['503', 0.08],
  ['429', 0.07],
  ['500', 0.06],
  ['424', 0.05],
  ['reset', 0.05],
  ['reset-mid-body', 0.04],
  ['stall', 0.03],
];

function chaosServer(seed: number): Promise<{ server: Server; url: string; fates: Record<Fate, number>; sockets: Set<Socket> }> {
  const random = prng(seed);
  const fates = Object.fromEntries(FATES.map(([f]) => [f, 0])) as Record<Fate, number>;
  const sockets = new Set<Socket>();
  const pick = (): Fate => {
    let r = random();
    for (const [fate, p] of FATES) if ((r -= p) < 0) return fate;
    return 'ok';
  };
  const json = (status: number, type: string, body: object) => ({ status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': type }, body: JSON.stringify(body) });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const fate = pick();
      fates[fate] += 1;
      const answer = (status: number, headers: Record<string, string>, text: string | Buffer) => {
        if (!res.destroyed) res.writeHead(status, { 'x-amzn-requestid': `r-${fates.ok}`, ...headers }).end(text);
      };
      switch (fate) {
        case 'ok':
          return answer(200, { 'content-type': 'application/json' }, body);
        case 'slow': {
          const timer = setTimeout(() => answer(200, { 'content-type': 'application/json' }, body), 20 + Math.floor(random() * 60));
          res.on('close', () => clearTimeout(timer));
          return;
        }
        case '503': {
          const e = json(503, 'ServiceUnavailable', { message: 'busy' });
          return answer(e.status, e.headers, e.body);
        }
        case '429': {
          const e = json(429, 'ThrottlingException', { message: 'slow down' });
          return answer(e.status, e.headers, e.body);
        }
        case '500': {
          const e = json(500, 'InternalFailure', { message: 'oops' });
          return answer(e.status, e.headers, e.body);
        }
        case '424': {
          const e = json(424, 'ModelError', { Message: 'model failed', OriginalStatusCode: 500, OriginalMessage: 'boom' });
          return answer(e.status, e.headers, e.body);
        }
        case 'reset':
          return void req.socket.resetAndDestroy();
        case 'reset-mid-body':
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length + 100) });
          res.write(body.subarray(0, Math.floor(body.length / 2)));
          return void setImmediate(() => req.socket.destroy());
        case 'stall':
          return; // the per-attempt timeout ends it; the socket closes when the client aborts
      }
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, fates, sockets })));
}

/** Counts of active resources by type, without the ones jest itself holds steady. */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 20));
}

/** Resources over the baseline, after waiting up to `ms` for closing sockets to finish closing. */
async function leakedSince(before: Record<string, number>, ms: number): Promise<Record<string, number>> {
  const until = Date.now() + ms;
  for (;;) {
    const after = resources();
    const leaked = Object.fromEntries(Object.entries(after).filter(([type, n]) => n > (before[type] ?? 0)).map(([type, n]) => [type, n - (before[type] ?? 0)]));
    if (Object.keys(leaked).length === 0 || Date.now() > until) return leaked;
    await new Promise((r) => setTimeout(r, 50));
  }
}

it(`chaos soak: ${INVOCATIONS} invocations, concurrency ${CONCURRENCY}: 0 lost, 0 duplicated, 0 leaked handles, flat RSS`, async () => {
  await settle();
  const before = resources();
  const { server, url, fates, sockets } = await chaosServer(SEED);
  const client = new SageMakerRuntime({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: 'AKIDCHAOS', secretAccessKey: 'chaos-secret', sessionToken: 'chaos-token' },
    maxConnections: CONCURRENCY,
  });
  const limiter = createLimiter({ maxConcurrency: CONCURRENCY });
  const terminal = new Uint8Array(INVOCATIONS);
  const outcomes: Record<string, number> = {};
  let crossed = 0;
  let defects = 0;
  let attempts = 0;
  const rss: number[] = [];
  const heap: number[] = [];
  const step = Math.max(1, Math.floor(INVOCATIONS / 10));
  let done = 0;
  const startedAt = performance.now();

  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const body = JSON.stringify({ id: i });
      client
        .invokeEndpoint$({ EndpointName: 'chaos', Body: body, ContentType: 'application/json' })
        .pipe(
          timeoutInvocation({ each: EACH_MS }),
          retryInvocation({ maxAttempts: 4, baseDelayMs: 5, throttlingBaseDelayMs: 10, maxDelayMs: 40 }),
          throttleInvocations(limiter),
        )
        .subscribe({
          next: (e: AnyInvokeEvent) => {
            if (e.type === 'sent') attempts += 1;
            if (e.type !== 'response' && e.type !== 'error') return;
            terminal[i]! += 1;
            const name = e.type === 'response' ? 'response' : e.error.name;
            outcomes[name] = (outcomes[name] ?? 0) + 1;
            if (e.type === 'response' && Buffer.from((e.output as { Body: Uint8Array }).Body).toString() !== body) crossed += 1;
          },
          error: () => {
            defects += 1;
            resolve();
          },
          complete: () => {
            done += 1;
            if (done % step === 0) {
              // With --expose-gc the heap is measured after a collection: what is still reachable.
              (globalThis as { gc?: () => void }).gc?.();
              const memory = process.memoryUsage();
              rss.push(Math.round(memory.rss / 1024 / 1024));
              heap.push(Math.round(memory.heapUsed / 1024 / 1024));
            }
            resolve();
          },
        });
    });

  await lastValueFrom(from(Array.from({ length: INVOCATIONS }, (_, i) => i)).pipe(mergeMap(one, CONCURRENCY)), { defaultValue: undefined });
  const seconds = (performance.now() - startedAt) / 1000;

  await client.destroy();
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
  const leaked = await leakedSince(before, 5_000);

  let lost = 0;
  let duplicated = 0;
  for (const count of terminal) {
    if (count === 0) lost += 1;
    if (count > 1) duplicated += 1;
  }
  console.log(
    [
      `chaos soak (seed ${SEED}): ${INVOCATIONS} invocations, ${attempts} attempts in ${seconds.toFixed(1)} s (${Math.round(INVOCATIONS / seconds)}/s)`,
      `server fates: ${JSON.stringify(fates)}`,
      `outcomes: ${JSON.stringify(outcomes)}`,
      `lost ${lost}, duplicated ${duplicated}, crossed answers ${crossed}, error notifications ${defects}`,
      `leaked handles: ${JSON.stringify(leaked)} (baseline ${JSON.stringify(before)})`,
      `RSS MiB at each 10 %: ${rss.join(' ')}`,
      `heap used MiB at each 10 %${(globalThis as { gc?: unknown }).gc ? ' (after gc)' : ''}: ${heap.join(' ')}`,
    ].join('\n'),
  );
  expect(lost).toBe(0);
  expect(duplicated).toBe(0);
  expect(crossed).toBe(0);
  expect(defects).toBe(0);
  expect(leaked).toEqual({});
  expect(limiter.state().inFlight).toBe(0);
  // every fate happened, so every path was walked
  for (const [fate] of FATES) expect(fates[fate]).toBeGreaterThan(0);
  // flat: the second half of the run does not grow memory by more than a slack for GC timing
  if (rss.length >= 6) expect(rss[rss.length - 1]! - rss[Math.floor(rss.length / 2)]!).toBeLessThan(96);
}, 600_000);
