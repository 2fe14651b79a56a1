/**
 * invokeEach and batchInvocations end to end: the real client over real sockets against the
 * emulator (port 0) with injected faults. Every input record must come out exactly once, with its
 * own answer (checked against the sentiment model's own scorer, so a shifted result would show).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { from, lastValueFrom, Subject, toArray } from 'rxjs';
import type { SageMakerRuntime } from '../../src/client/sagemaker-runtime.js';
import { startTestEmulator } from '../../src/testing/index.js';
import { scoreSentiment, type Emulator, type SentimentResult } from '../../src/emulator/index.js';
import { batchInvocations } from '../../src/operators/pipelines/batch-invocations.js';
import { invokeEach } from '../../src/operators/pipelines/invoke-each.js';
import { isInvocationFailure, isInvocationSuccess, type BatchResult, type InvocationResult } from '../../src/operators/pipelines/invocation-result.js';

interface Review {
  id: number;
  text: string;
}

/** Enough records for every fault to happen many times; the long runs live in test/soak/. */
const RECORDS = 1_000;
const reviewTexts: string[] = readFileSync(join(__dirname, '../../examples/data/reviews.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => (JSON.parse(line) as { text: string }).text);
const records: Review[] = Array.from({ length: RECORDS }, (_, id) => ({ id, text: reviewTexts[id % reviewTexts.length]! }));

/** Fast retries, so the fault rates below cost little wall time. */
const RETRY = { maxAttempts: 8, baseDelayMs: 2, throttlingBaseDelayMs: 5, maxDelayMs: 40 };
/** 5 % 503s and 5 % throttles per request, no latency. */
const FLAKY = { serverErrorRate: 0.05, serverErrorStatus: 503 as const, throttleRate: 0.05 };

const decoder = new TextDecoder();

/** Checks that every id of `records` appears exactly once among the results' items and indexes. */
function expectEveryRecordOnce(results: Array<{ item: Review; index: number }>): void {
  expect(results).toHaveLength(RECORDS);
  const seen = new Uint8Array(RECORDS);
  for (const r of results) {
    expect(r.index).toBe(r.item.id);
    seen[r.item.id] += 1;
  }
  const counts = new Map<number, number>();
  for (const n of seen) counts.set(n, (counts.get(n) ?? 0) + 1);
  expect(Object.fromEntries(counts)).toEqual({ 1: RECORDS });
}

/** The sizes of the batches that hold the poison record at `position` as splitOnFailure halves them (first half: ceil(n / 2)). */
function poisonedBatchSizes(size: number, position: number): number[] {
  const sizes = [size];
  let start = 0;
  while (size > 1) {
    const mid = Math.ceil(size / 2);
    if (position < start + mid) size = mid;
    else {
      start += mid;
      size -= mid;
    }
    sizes.push(size);
  }
  return sizes;
}

describe('pipelines against the emulator', () => {
  let emu: Emulator;
  let client: SageMakerRuntime;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ emulator: emu, client, close } = await startTestEmulator({
      seed: 7,
      endpoints: {
        flaky: { model: 'sentiment', faults: FLAKY },
        'flaky-latency': { model: 'sentiment', faults: { ...FLAKY, latencyMs: 5, jitterMs: 5 } },
        poisoned: {
          model: 'sentiment',
          faults: { failWhen: (req) => (req.body.includes('POISON') ? 'modelError' : undefined) },
        },
        slow: { model: 'sentiment', faults: { latencyMs: 20_000 } },
      },
    }, { maxConnections: 64 }));
  });

  afterAll(async () => {
    await close();
  });

  beforeEach(() => emu.reset());

  it('gives exactly one result per record for 1,000 records through invokeEach with retries, each its own answer', async () => {
    const results: InvocationResult<Review>[] = await lastValueFrom(
      from(records).pipe(
        invokeEach(
          client,
          (r) => ({ EndpointName: 'flaky', Body: JSON.stringify({ text: r.text }), ContentType: 'application/json' }),
          { concurrency: 64, retry: RETRY },
        ),
        toArray(),
      ),
    );
    expectEveryRecordOnce(results);
    const failures = results.filter(isInvocationFailure);
    expect(failures.map((f) => f.error.name)).toEqual([]);
    let attempts = 0;
    for (const r of results) {
      if (!isInvocationSuccess(r)) continue;
      expect(JSON.parse(decoder.decode(r.output.Body))).toEqual(scoreSentiment(r.item.text));
      attempts += r.output.$metadata.attempts ?? 1;
    }
    // the faults happened, were retried, and every attempt is one request the emulator saw
    const stats = emu.endpointStats('flaky');
    expect(stats.throttled).toBeGreaterThan(RECORDS / 100);
    expect(emu.stats.byStatus[503]).toBeGreaterThan(RECORDS / 100);
    expect(attempts).toBeGreaterThan(RECORDS);
    expect(stats.total).toBe(attempts);
  }, 90_000);

  it('gives exactly one result per record for 1,000 records through batchInvocations (JSON Lines), in input order', async () => {
    const results: BatchResult<Review, SentimentResult>[] = await lastValueFrom(
      from(records).pipe(
        batchInvocations<Review, SentimentResult>(client, {
          endpointName: 'flaky',
          codec: 'jsonl',
          maxBatchSize: 50,
          maxWaitMs: 20,
          concurrency: 16,
          ordered: true,
          retry: RETRY,
        }),
        toArray(),
      ),
    );
    expectEveryRecordOnce(results);
    expect(results.map((r) => r.index)).toEqual(records.map((r) => r.id));
    expect(results.filter(isInvocationFailure).map((f) => f.error.name)).toEqual([]);
    for (const r of results) expect(r.output).toEqual(scoreSentiment(r.item.text));
    // the records in batches of at most 50; faults made some batches go twice or more
    const batchIds = new Set(results.map((r) => r.batch.id));
    expect(batchIds.size).toBe(RECORDS / 50);
    expect(results.every((r) => r.batch.size <= 50)).toBe(true);
    const stats = emu.endpointStats('flaky');
    expect(stats.total).toBeGreaterThan(batchIds.size);
    expect(stats.throttled + (emu.stats.byStatus[503] ?? 0)).toBe(stats.total - batchIds.size);
  }, 90_000);

  it('keeps every record through batches with latency, a JSON array codec and a byte limit', async () => {
    const some = records.slice(0, 2_000);
    const results: BatchResult<Review, SentimentResult>[] = await lastValueFrom(
      from(some).pipe(
        batchInvocations<Review, SentimentResult>(client, {
          endpointName: 'flaky-latency',
          codec: 'json',
          maxBatchSize: 100,
          maxBatchBytes: 8_192,
          concurrency: 8,
          retry: RETRY,
        }),
        toArray(),
      ),
    );
    expect(results).toHaveLength(some.length);
    expect(new Set(results.map((r) => r.item.id)).size).toBe(some.length);
    for (const r of results) expect(r.output).toEqual(scoreSentiment(r.item.text));
    const bodies = emu.requests.filter((q) => q.path === '/endpoints/flaky-latency/invocations').map((q) => q.body.byteLength);
    expect(Math.max(...bodies)).toBeLessThanOrEqual(8_192);
  }, 90_000);

  it('isolates the poison record of a batch with splitOnFailure: only that record fails', async () => {
    const batch = records.slice(0, 100).map((r) => (r.id === 37 ? { ...r, text: `${r.text} POISON` } : r));
    const results: BatchResult<Review, SentimentResult>[] = await lastValueFrom(
      from(batch).pipe(
        batchInvocations<Review, SentimentResult>(client, { endpointName: 'poisoned', codec: 'jsonl', maxBatchSize: 100, splitOnFailure: true }),
        toArray(),
      ),
    );
    expect(results).toHaveLength(100);
    const failures = results.filter(isInvocationFailure);
    expect(failures.map((f) => [f.item.id, f.error.name, f.batch.size])).toEqual([[37, 'ModelError', 1]]);
    for (const r of results.filter((x) => x.item.id !== 37)) expect(r.output).toEqual(scoreSentiment(r.item.text));
    // every batch holding the poison record failed, down to the record alone; each of their
    // other halves was sent once and answered
    const failing = poisonedBatchSizes(100, 37);
    expect(failing).toEqual([100, 50, 25, 13, 6, 3, 1]);
    expect(emu.requests.filter((q) => q.errorType === 'ModelError').map((q) => q.body.toString().trim().split('\n').length)).toEqual(failing);
    expect(emu.endpointStats('poisoned').total).toBe(2 * failing.length - 1);
  });

  it('fails every record of the poisoned batch with the same ModelError without splitOnFailure', async () => {
    const batch = records.slice(0, 10).map((r) => (r.id === 3 ? { ...r, text: 'POISON' } : r));
    const results: BatchResult<Review>[] = await lastValueFrom(
      from(batch).pipe(batchInvocations<Review>(client, { endpointName: 'poisoned', codec: 'jsonl' }), toArray()),
    );
    expect(results).toHaveLength(10);
    expect(results.every((r) => r.error?.name === 'ModelError' && r.error === results[0]?.error)).toBe(true);
    expect(emu.endpointStats('poisoned').total).toBe(1);
  });

  it('aborts the in-flight requests when the subscriber unsubscribes', async () => {
    const source = new Subject<Review>();
    const results: InvocationResult<Review>[] = [];
    const subscription = source
      .pipe(invokeEach(client, (r) => ({ EndpointName: 'slow', Body: r.text, ContentType: 'text/plain' }), { concurrency: 3 }))
      .subscribe((r) => results.push(r));
    for (const r of records.slice(0, 5)) source.next(r);
    await emu.waitForRequest(() => emu.requests.length === 3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(emu.requests).toHaveLength(3); // the other two wait for a slot
    subscription.unsubscribe();
    await emu.waitForRequest(() => emu.requests.filter((q) => q.closedByClient).length === 3);
    expect(emu.requests.map((q) => q.closedByClient)).toEqual([true, true, true]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(emu.requests).toHaveLength(3); // the queued two were never sent
    expect(emu.endpointStats('slow').inFlight).toBe(0);
    expect(results).toEqual([]);
  });
});
