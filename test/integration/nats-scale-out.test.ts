/**
 * The scale-out promise, end to end: three worker processes of the CLI share one durable
 * consumer, one is SIGKILLed mid-run, and the output stream still has every record exactly once.
 */
import { startEmulator } from '../../src/emulator/index';
import type { Emulator } from '../../src/emulator/types';
import { DEAD_LETTER_HEADERS } from '../../src/nats/dead-letter';
import { connectFixture, eventually, publishRecords, type JetStreamFixture } from '../nats/jet-stream-fixture';
import { NATS_SERVER_MISSING, natsServerAvailable, startNatsServer, type NatsServerHandle } from '../nats/nats-server';
import { readStream, startWorker, type WorkerProcess } from '../nats/worker-process';

const RECORDS = 10_000;
/** Not JSON: dead-lettered as malformed without being sent. */
const isMalformed = (i: number) => i % 2500 === 0;
/** The model refuses these with a 500 (a `ModelError`, not retryable): dead-lettered with the error. */
const isPoison = (i: number) => i % 997 === 0;

const available = natsServerAvailable();
if (!available) console.warn(`skipping the scale-out test: ${NATS_SERVER_MISSING}`);
(available ? describe : describe.skip)('three CLI workers on one JetStream consumer, one of them SIGKILLed', () => {
  let server: NatsServerHandle;
  let f: JetStreamFixture;
  let emulator: Emulator;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    server = await startNatsServer();
    f = await connectFixture(server.url);
    emulator = await startEmulator({
      recordRequests: 0,
      endpoints: {
        scorer: {
          model: (req) => {
            const record = JSON.parse(req.body.toString('utf8')) as { id: number };
            if (isPoison(record.id)) return { body: `cannot score record ${record.id}`, contentType: 'text/plain', status: 500 };
            return { body: JSON.stringify({ score: record.id % 7 }), contentType: 'application/json' };
          },
          faults: { latencyMs: 3 },
        },
      },
    });
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await emulator?.close();
    await f?.close();
    await server?.stop();
  });

  it('finds every record exactly once in the output, the poison ones dead-lettered, nothing pending', async () => {
    await f.jsm.streams.add({ name: 'REVIEWS', subjects: ['reviews.>'] });
    await f.jsm.streams.add({ name: 'ENRICHED', subjects: ['enriched.>'] });
    await f.jsm.streams.add({ name: 'DEAD', subjects: ['dead.>'] });
    await publishRecords(f, 'reviews.new', RECORDS, (i) => (isMalformed(i) ? `{"id":${i},"text":` : `{"id":${i},"text":"review ${i}"}`));

    const start = () =>
      startWorker({
        endpointName: 'scorer', endpointUrl: emulator.url, natsUrl: server.url, stream: 'REVIEWS', consumer: 'enrichers', toSubject: 'enriched.reviews',
        extra: ['--dead-letter-subject', 'dead.reviews', '--ack-wait-ms', '3000', '--concurrency', '8', '--drain-timeout-ms', '10000'],
      });
    workers.push(start(), start(), start());

    // Kill one worker once the run is well under way, with records in its hands.
    const outputs = async () => (await f.jsm.streams.info('ENRICHED')).state.messages;
    await eventually(async () => (await outputs()) >= RECORDS / 4, 60_000, 'a quarter of the outputs');
    const victim = workers[1]!;
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const atKill = await outputs();
    expect(atKill).toBeLessThan(RECORDS * 0.9);

    const malformed = Array.from({ length: RECORDS }, (_, i) => i + 1).filter(isMalformed);
    const poison = Array.from({ length: RECORDS }, (_, i) => i + 1).filter((i) => isPoison(i) && !isMalformed(i));
    const expectedOutputs = RECORDS - malformed.length - poison.length;
    await eventually(async () => (await outputs()) >= expectedOutputs && (await f.jsm.streams.info('DEAD')).state.messages >= malformed.length + poison.length, 120_000, 'every output');
    await eventually(async () => {
      const info = await f.jsm.consumers.info('REVIEWS', 'enrichers');
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, 30_000, 'the consumer to have nothing pending');

    // The survivors stop on SIGTERM, cleanly.
    const survivors = [workers[0]!, workers[2]!];
    for (const w of survivors) w.child.kill('SIGTERM');
    const exits = await Promise.all(survivors.map((w) => w.exited));
    expect(exits).toEqual([{ code: 0, signal: null }, { code: 0, signal: null }]);
    for (const w of survivors) expect(w.stderr()).toMatch(/enrich: [\d,]+ delivered \([\d,]+ redeliveries\) · [\d,]+ published.* · stopped by SIGTERM/);

    // Every record exactly once on the output: 0 missing, 0 duplicated.
    const enriched = await readStream(f.js, 'ENRICHED', 'enriched.reviews');
    const counts = new Map<number, number>();
    for (const m of enriched) {
      const record = JSON.parse(m.data) as { id: number; text: string; prediction: { score: number } };
      expect(record).toEqual({ id: record.id, text: `review ${record.id}`, prediction: { score: record.id % 7 } });
      expect(m.msgId).toBe(`REVIEWS:${record.id}`);
      counts.set(record.id, (counts.get(record.id) ?? 0) + 1);
    }
    const missing = Array.from({ length: RECORDS }, (_, i) => i + 1).filter((i) => !isMalformed(i) && !isPoison(i) && !counts.has(i));
    const duplicated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    console.log(`scale-out: ${enriched.length} outputs, ${missing.length} missing, ${duplicated.length} duplicated; ${atKill} outputs when worker ${victim.pid} was killed`);
    expect(missing).toEqual([]);
    expect(duplicated).toEqual([]);
    expect(enriched).toHaveLength(expectedOutputs);

    // The poison records, each once, with their bytes and their error.
    const dead = await readStream(f.js, 'DEAD', 'dead.reviews');
    const deadIds = dead.map((m) => Number(m.headers![DEAD_LETTER_HEADERS.sequence])).sort((a, b) => a - b);
    expect(deadIds).toEqual([...malformed, ...poison].sort((a, b) => a - b));
    for (const m of dead) {
      const id = Number(m.headers![DEAD_LETTER_HEADERS.sequence]);
      const error = JSON.parse(m.headers![DEAD_LETTER_HEADERS.error]!) as { name: string };
      if (isMalformed(id)) {
        expect(m.data).toBe(`{"id":${id},"text":`);
        expect(error.name).toBe('MalformedRecord');
      } else {
        expect(m.data).toBe(`{"id":${id},"text":"review ${id}"}`);
        expect(error).toMatchObject({ name: 'ModelError', OriginalStatusCode: 500, retryable: false });
      }
    }

    // The killed worker's records came back to the survivors.
    const redeliveries = survivors
      .map((w) => Number(/\(([\d,]+) redeliveries\)/.exec(w.stderr())?.[1]?.replace(/,/g, '') ?? 0))
      .reduce((a, b) => a + b, 0);
    expect(redeliveries).toBeGreaterThan(0);
  }, 240_000);
});
