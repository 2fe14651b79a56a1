/**
 * Soak (not part of `npm test`; `npm run test:soak`): one CLI worker drains a backlog of 200,000
 * records and its resident memory, sampled from /proc while it works, stays flat — the pull loop
 * holds at most --max-in-flight messages whatever the backlog.
 */
import { readFileSync } from 'node:fs';
import { startEmulator } from '../../src/emulator/index';
import type { Emulator } from '../../src/emulator/types';
import { connectFixture, eventually, type JetStreamFixture } from '../nats/jet-stream-fixture';
import { NATS_SERVER_MISSING, natsServerAvailable, startNatsServer, type NatsServerHandle } from '../nats/nats-server';
import { startWorker, type WorkerProcess } from '../nats/worker-process';

const RECORDS = Number(process.env.SOAK_RECORDS ?? 200_000);
const MiB = 1024 * 1024;

function rssOf(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

const available = natsServerAvailable() && process.platform === 'linux';
if (!available) console.warn(`skipping the worker memory soak: ${natsServerAvailable() ? 'needs /proc (Linux)' : NATS_SERVER_MISSING}`);
(available ? describe : describe.skip)('a JetStream worker over a 200,000-record backlog', () => {
  let server: NatsServerHandle;
  let f: JetStreamFixture;
  let emulator: Emulator;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    server = await startNatsServer();
    f = await connectFixture(server.url);
    emulator = await startEmulator({ recordRequests: 0, endpoints: { echo: { model: 'echo' } } });
  });
  afterAll(async () => {
    if (worker && worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await worker?.exited;
    await emulator?.close();
    await f?.close();
    await server?.stop();
  });

  it('keeps its resident memory flat from the first fifth of the records to the last', async () => {
    await f.jsm.streams.add({ name: 'SOAK', subjects: ['soak.>'] });
    await f.jsm.streams.add({ name: 'SOAKED', subjects: ['soaked.>'] });
    // The whole backlog first: core publishes, stored by the stream, flushed in chunks.
    const pad = 'x'.repeat(200);
    for (let i = 1; i <= RECORDS; i++) {
      f.nc.publish('soak.records', `{"id":${i},"text":"${pad}"}`);
      if (i % 5000 === 0) await f.nc.flush();
    }
    await eventually(async () => (await f.jsm.streams.info('SOAK')).state.messages === RECORDS, 60_000, 'the backlog to be stored');

    worker = startWorker({
      endpointName: 'echo', endpointUrl: emulator.url, natsUrl: server.url, stream: 'SOAK', consumer: 'soakers', toSubject: 'soaked.records',
      extra: ['--concurrency', '32', '--exit-when-idle', '2000', '--max-ack-pending', '100000'],
    });
    const samples: Array<{ done: number; rss: number }> = [];
    const sampler = setInterval(() => {
      void f.jsm.streams.info('SOAKED').then((info) => {
        const rss = rssOf(worker!.pid);
        if (rss !== undefined) samples.push({ done: info.state.messages, rss });
      }, () => undefined);
    }, 500);
    const exit = await worker.exited;
    clearInterval(sampler);
    expect(exit).toEqual({ code: 0, signal: null });
    expect((await f.jsm.streams.info('SOAKED')).state.messages).toBe(RECORDS);

    const after = (fraction: number) => samples.filter((s) => s.done >= RECORDS * fraction);
    const early = Math.max(...after(0.2).filter((s) => s.done < RECORDS * 0.4).map((s) => s.rss));
    const late = Math.max(...after(0.7).map((s) => s.rss));
    const peak = Math.max(...samples.map((s) => s.rss));
    console.log(
      `soak: ${RECORDS} records, ${samples.length} samples; RSS max 20-40 %: ${(early / MiB).toFixed(1)} MiB, ` +
        `max 70-100 %: ${(late / MiB).toFixed(1)} MiB, peak ${(peak / MiB).toFixed(1)} MiB\n${worker.stderr().trim().split('\n').pop()}`,
    );
    expect(samples.length).toBeGreaterThan(10);
    expect(Number.isFinite(early) && Number.isFinite(late)).toBe(true);
    // Flat: the last stretch holds no more than the early one plus a little (GC timing). A leak of
    // even 200 bytes a record would add 38 MiB over 200,000.
    expect(late - early).toBeLessThan(32 * MiB);
    expect(peak).toBeLessThan(200 * MiB);
  }, 900_000);
});
