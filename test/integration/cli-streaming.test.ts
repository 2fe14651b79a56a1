/**
 * `enrich` as a stream, in a real process: it reads stdin only as fast as it writes results, and
 * Ctrl-C (SIGINT) stops it cleanly with every finished record flushed. Also `invoke`'s deadline.
 * Needs `dist/cjs/cli/bin.js` (`node scripts/build.mjs`, or `npm test`).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { startEmulator, type Emulator } from '../../src/emulator/index';
import { bin, childEnv } from './cli-process';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let emulator: Emulator;

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`node scripts/build.mjs\` (npm test does) before the CLI tests`);
  emulator = await startEmulator({ endpoints: { slow: { model: 'echo', faults: { latencyMs: 100 } } } });
});

afterAll(async () => {
  await emulator?.close();
});

it('reads stdin only as fast as results are written, and SIGINT stops it with every finished record flushed', async () => {
  const LINES = 50_000;
  const LINE_BYTES = 100;
  const TOTAL_BYTES = LINES * LINE_BYTES;
  let producedBytes = 0;
  function* records(): Generator<string> {
    for (let i = 1; i <= LINES; i++) {
      const line = JSON.stringify({ id: `r-${String(i).padStart(6, '0')}`, text: '' });
      const padded = `${line.slice(0, -2)}${'x'.repeat(LINE_BYTES - line.length - 1)}"}\n`;
      producedBytes += padded.length;
      yield padded;
    }
  }

  const child = spawn(process.execPath, [bin, 'enrich', 'slow', '--concurrency', '2', '--endpoint-url', emulator.url], {
    env: childEnv(),
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.on('error', () => {}); // EPIPE once the child has stopped reading and exits
  Readable.from(records(), { objectMode: false }).pipe(child.stdin);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );

  // Two invocations in flight, 100 ms each: about 20 records a second get done.
  const deadline = Date.now() + 15_000;
  while (stdout.split('\n').length < 6 && Date.now() < deadline) await sleep(50);
  await sleep(1_500);
  const producedWhileRunning = producedBytes;
  expect(producedWhileRunning).toBeGreaterThan(0);
  // Pipe buffers, the line reader's queue and the run's credits hold some lines; the rest must wait.
  expect(producedWhileRunning).toBeLessThan(TOTAL_BYTES * 0.3);

  child.kill('SIGINT');
  const { code, signal } = await exit;
  expect(signal).toBeNull();
  expect(code).toBe(130);

  const written = stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { id: string; prediction: unknown });
  const summary = /enrich: ([\d,]+) records in · ([\d,]+) enriched · ([\d,]+) failed.*stopped by SIGINT/.exec(stderr);
  expect(summary).not.toBeNull();
  const enriched = Number(summary![2]!.replace(/,/g, ''));
  expect(enriched).toBeGreaterThan(0);
  expect(written).toHaveLength(enriched);
  // In input order, each with the echoed record as its answer.
  written.forEach((r, k) => {
    expect(r.id).toBe(`r-${String(k + 1).padStart(6, '0')}`);
    expect(r.prediction).toMatchObject({ id: r.id });
  });
  // In-flight requests were aborted, not left running.
  await emulator.waitForRequest((req) => req.closedByClient, 5_000).catch(() => undefined);
  expect(emulator.requests.filter((req) => req.status === undefined && !req.closedByClient)).toHaveLength(0);
}, 40_000);

it('invoke: --timeout-ms aborts a slow attempt, --retries 0 gives up, exit 1 with TimeoutError', async () => {
  emulator.reset();
  // The deadline covers signing and connecting too: leave the request ample time to arrive.
  emulator.setEndpoint('slower', { model: 'echo', faults: { latencyMs: 5_000 } });
  const child = spawn(
    process.execPath,
    [bin, 'invoke', 'slower', '--body', '{}', '--timeout-ms', '700', '--retries', '0', '--endpoint-url', emulator.url],
    { env: childEnv(), stdio: 'pipe' },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code).toBe(1);
  expect(stderr).toMatch(/TimeoutError: each timeout after 700 ms/);
  const closed = await emulator.waitForRequest((req) => req.closedByClient, 5_000);
  expect(closed.endpointName).toBe('slower');
  expect(emulator.requests).toHaveLength(1);
}, 20_000);
