/**
 * `sagemaker-rx enrich --nats` as a process: usage and setup problems exit 2 before anything is
 * pulled; --exit-when-idle ends a batch-style run with exit 0.
 */
import { spawnSync } from 'node:child_process';
import { startEmulator } from '../../src/emulator/index';
import type { Emulator } from '../../src/emulator/types';
import { connectFixture, publishRecords, type JetStreamFixture } from '../nats/jet-stream-fixture';
import { NATS_SERVER_MISSING, natsServerAvailable, startNatsServer, type NatsServerHandle } from '../nats/nats-server';
import { readStream, startWorker } from '../nats/worker-process';
import { bin, childEnv, root } from './cli-process';

const enrich = (args: string[]) => spawnSync(process.execPath, [bin, 'enrich', 'echo', '--region', 'us-east-1', ...args], { env: childEnv(), cwd: root, encoding: 'utf8', timeout: 20_000 });

describe('enrich --nats: usage', () => {
  it.each([
    [['--nats', 'nats://127.0.0.1:4222', '--consumer', 'c', '--to-subject', 'o'], /--nats needs --stream/],
    [['--nats', 'nats://127.0.0.1:4222', '--stream', 'S', '--to-subject', 'o'], /--nats needs --consumer/],
    [['--nats', 'nats://127.0.0.1:4222', '--stream', 'S', '--consumer', 'c'], /--nats needs --to-subject/],
    [['--stream', 'S'], /--stream needs --nats/],
    [['--nats', 'nats://127.0.0.1:4222', '--stream', 'S', '--consumer', 'c', '--to-subject', 'o', '--in', 'x.jsonl'], /--in is for file mode/],
    [['--nats', 'nats://127.0.0.1:4222', '--stream', 'S', '--consumer', 'c', '--to-subject', 'o', '--max-deliver', '0'], /--max-deliver must be an integer >= 1, got '0'/],
  ])('%j exits 2 naming the problem', (args, message) => {
    const run = enrich(args);
    expect(run.stderr).toMatch(message);
    expect(run.status).toBe(2);
  });
});

const available = natsServerAvailable();
if (!available) console.warn(`skipping the enrich --nats process tests: ${NATS_SERVER_MISSING}`);
(available ? describe : describe.skip)('enrich --nats against a real nats-server', () => {
  let server: NatsServerHandle;
  let f: JetStreamFixture;
  let emulator: Emulator;

  beforeAll(async () => {
    server = await startNatsServer();
    f = await connectFixture(server.url);
    emulator = await startEmulator({ recordRequests: 0 });
  });
  afterAll(async () => {
    await emulator?.close();
    await f?.close();
    await server?.stop();
  });

  it('exits 2 with a clear message when the stream does not exist', () => {
    const run = enrich(['--endpoint-url', emulator.url, '--nats', server.url, '--stream', 'MISSING', '--consumer', 'c', '--to-subject', 'o.x']);
    expect(run.stderr).toMatch(/stream 'MISSING' does not exist/);
    expect(run.status).toBe(2);
  });

  it('exits 2 with a clear message when no NATS server answers', () => {
    const run = enrich(['--endpoint-url', emulator.url, '--nats', 'nats://127.0.0.1:1', '--stream', 'S', '--consumer', 'c', '--to-subject', 'o.x']);
    expect(run.stderr).toMatch(/cannot connect to NATS at nats:\/\/127\.0\.0\.1:1/);
    expect(run.status).toBe(2);
  });

  it('with --exit-when-idle enriches the backlog, creates the consumer, and exits 0', async () => {
    await f.jsm.streams.add({ name: 'IDLE_IN', subjects: ['idle.in'] });
    await f.jsm.streams.add({ name: 'IDLE_OUT', subjects: ['idle.out'] });
    await publishRecords(f, 'idle.in', 50, (i) => `{"id":${i},"n":1.10}`);
    const worker = startWorker({
      endpointName: 'echo', endpointUrl: emulator.url, natsUrl: server.url, stream: 'IDLE_IN', consumer: 'batch', toSubject: 'idle.out',
      extra: ['--exit-when-idle', '500', '--field', 'n', '--as', 'echoed', '--ack-wait-ms', '5000', '--max-ack-pending', '64'],
    });
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.stderr()).toMatch(/created consumer 'batch' \(ack_wait 5000 ms, max_ack_pending 64\)/);
    expect(worker.stderr()).toMatch(/enrich: 50 delivered \(0 redeliveries\) · 50 published · 0 dead-lettered .* · idle for 500 ms/);
    const outputs = await readStream(f.js, 'IDLE_OUT', 'idle.out');
    expect(outputs.map((o) => o.data).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `{"id":${i + 1},"n":1.10,"echoed":1.10}`).sort());
  });
});
