/**
 * `npm run bench -- --scale-out`: JetStream workers of `sagemaker-rx enrich --nats`, 1, 2 and 3 of
 * them, each at the same fixed concurrency, against a 20 ms model; records/s, the scaling ratio,
 * and the broker path against file mode at the same concurrency. One run, ratios; not a test.
 *
 * Real processes throughout: nats-server -js (temporary store, free port), the emulator CLI, and
 * the workers, from the working tree's `dist/` (run `npm run build` first).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectFixture, eventually, type JetStreamFixture } from '../test/nats/jet-stream-fixture';
import { natsServerAvailable, NATS_SERVER_MISSING, startNatsServer } from '../test/nats/nats-server';
import { startWorker } from '../test/nats/worker-process';
import { bin, childEnv } from '../test/integration/cli-process';

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** What one run measures. */
export interface ScaleOutOptions {
  workers: number[];
  /** Invocations in flight per worker. */
  concurrency: number;
  /** Model latency, in ms. */
  latencyMs: number;
  /** Records per worker in each run. */
  recordsPerWorker: number;
}

export const SCALE_OUT_DEFAULTS: ScaleOutOptions = { workers: [1, 2, 3], concurrency: 4, latencyMs: 20, recordsPerWorker: 2000 };

/** CPU time (user + system) a process has used so far, in ms, from /proc; undefined once it is gone or off Linux. */
function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command (which may hold spaces) start at the last ')'; utime and stime are fields 14 and 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** Follows the CPU time of some processes, keeping the last reading of each (taken every 50 ms until stopped). */
function followCpu(pids: Array<number | undefined>): { stop(): number } {
  const last = new Map<number, number>();
  const read = (): void => {
    for (const pid of pids) {
      const ms = cpuMsOf(pid);
      if (pid !== undefined && ms !== undefined) last.set(pid, ms);
    }
  };
  read();
  const start = new Map(last);
  const timer = setInterval(read, 50);
  return {
    stop: () => {
      clearInterval(timer);
      read();
      let total = 0;
      for (const [pid, ms] of last) total += ms - (start.get(pid) ?? 0);
      return total;
    },
  };
}

interface Row {
  workers: number;
  records: number;
  /** Outputs per second between 10 % and 90 % of the outputs (start-up and tail excluded). */
  steadyPerSecond: number;
  /** Records over the whole run, process start to last output. */
  wallPerSecond: number;
  /** CPU time per record, in ms: the workers, and everything (workers, emulator, nats-server). */
  workerCpuMsPerRecord: number;
  totalCpuMsPerRecord: number;
}

async function startEmulatorProcess(latencyMs: number, dir: string): Promise<{ url: string; pid: number | undefined; stop(): Promise<void> }> {
  const config = join(dir, 'emulator.json');
  writeFileSync(config, JSON.stringify({ endpoints: { model: { model: 'echo', faults: { latencyMs } } } }));
  const child = spawn(process.execPath, [bin, 'emulator', '--port', '0', '--config', config, '--record-requests', '0'], { env: childEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolveUrl(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code}) before listening`)));
  });
  child.stdout!.resume();
  return {
    url,
    pid: child.pid,
    stop: () => new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    }),
  };
}

async function publishBacklog(f: JetStreamFixture, subject: string, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) {
    f.nc.publish(subject, `{"id":${i},"text":"review number ${i} of the benchmark"}`);
    if (i % 5000 === 0) await f.nc.flush();
  }
  await f.nc.flush();
}

async function runWorkers(f: JetStreamFixture, natsUrl: string, emulatorUrl: string, others: Array<number | undefined>, n: number, options: ScaleOutOptions): Promise<Row> {
  const stream = `BENCH_${n}`;
  const out = `BENCHOUT_${n}`;
  const records = options.recordsPerWorker * n;
  await f.jsm.streams.add({ name: stream, subjects: [`${stream.toLowerCase()}.>`] });
  await f.jsm.streams.add({ name: out, subjects: [`${out.toLowerCase()}.>`] });
  await publishBacklog(f, `${stream.toLowerCase()}.in`, records);
  await eventually(async () => (await f.jsm.streams.info(stream)).state.messages === records, 60_000, 'the backlog');
  // Created up front so no worker waits for another's creation.
  await f.jsm.consumers.add(stream, { durable_name: 'bench', ack_policy: 'explicit' as never, ack_wait: 30e9, max_ack_pending: 10_000 });

  const started = performance.now();
  const workers = Array.from({ length: n }, () =>
    startWorker({
      endpointName: 'model', endpointUrl: emulatorUrl, natsUrl, stream, consumer: 'bench', toSubject: `${out.toLowerCase()}.enriched`,
      extra: ['--concurrency', String(options.concurrency), '--exit-when-idle', '1000'],
    }),
  );
  const workerCpu = followCpu(workers.map((w) => w.pid));
  const otherCpu = followCpu(others);
  let t10 = 0;
  let t90 = 0;
  let tEnd = 0;
  for (;;) {
    const done = (await f.jsm.streams.info(out)).state.messages;
    const now = performance.now();
    if (!t10 && done >= records * 0.1) t10 = now;
    if (!t90 && done >= records * 0.9) t90 = now;
    if (done >= records) {
      tEnd = now;
      break;
    }
    if (workers.every((w) => w.child.exitCode !== null)) throw new Error(`workers exited with ${done}/${records} outputs:\n${workers.map((w) => w.stderr()).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  // Read while the workers wait out --exit-when-idle: their work is done, they are still there to read.
  const workerMs = workerCpu.stop();
  const otherMs = otherCpu.stop();
  const exits = await Promise.all(workers.map((w) => w.exited));
  if (exits.some((e) => e.code !== 0)) throw new Error(`a worker failed: ${JSON.stringify(exits)}\n${workers.map((w) => w.stderr()).join('\n')}`);
  return {
    workers: n,
    records,
    steadyPerSecond: (records * 0.8) / ((t90 - t10) / 1000),
    wallPerSecond: records / ((tEnd - started) / 1000),
    workerCpuMsPerRecord: workerMs / records,
    totalCpuMsPerRecord: (workerMs + otherMs) / records,
  };
}

/** `enrich --in --out` at the same concurrency and model, timed like the workers: process start to the end. */
async function runFileMode(emulatorUrl: string, emulatorPid: number | undefined, dir: string, records: number, options: ScaleOutOptions): Promise<{ wallPerSecond: number; cpuMsPerRecord: number; totalCpuMsPerRecord: number }> {
  const input = join(dir, 'records.jsonl');
  writeFileSync(input, Array.from({ length: records }, (_, i) => `{"id":${i + 1},"text":"review number ${i + 1} of the benchmark"}`).join('\n') + '\n');
  const started = performance.now();
  const child = spawn(process.execPath, [bin, 'enrich', 'model', '--endpoint-url', emulatorUrl, '--in', input, '--out', join(dir, 'out.jsonl'), '--concurrency', String(options.concurrency), '--unordered', '--no-progress'], { env: childEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const cpu = followCpu([child.pid]);
  const emulatorCpu = followCpu([emulatorPid]);
  const code = await new Promise<number | null>((resolveCode) => child.once('exit', (c) => resolveCode(c)));
  const wall = (performance.now() - started) / 1000;
  const ms = cpu.stop();
  const emulatorMs = emulatorCpu.stop();
  if (code !== 0) throw new Error(`file mode failed (${code}): ${stderr}`);
  return { wallPerSecond: records / wall, cpuMsPerRecord: ms / records, totalCpuMsPerRecord: (ms + emulatorMs) / records };
}

function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Runs the scale-out benchmark and returns its Markdown report. */
export async function runScaleOut(options: ScaleOutOptions = SCALE_OUT_DEFAULTS): Promise<string> {
  if (!natsServerAvailable()) throw new Error(NATS_SERVER_MISSING);
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` first (the workers are the built CLI)`);
  const dir = mkdtempSync(join(tmpdir(), 'sagemaker-rx-scale-out-'));
  const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');
  const server = await startNatsServer();
  const emulator = await startEmulatorProcess(options.latencyMs, dir);
  const f = await connectFixture(server.url);
  const rows: Row[] = [];
  let file: Awaited<ReturnType<typeof runFileMode>>;
  try {
    log(`scale-out: nats-server ${server.url}, emulator ${emulator.url} (${options.latencyMs} ms model), concurrency ${options.concurrency} per worker`);
    for (const n of options.workers) {
      const row = await runWorkers(f, server.url, emulator.url, [emulator.pid, server.pid], n, options);
      log(`scale-out: ${n} worker(s): ${fmt(row.steadyPerSecond)} records/s steady, ${fmt(row.wallPerSecond)} over the run, ${fmt(row.totalCpuMsPerRecord, 2)} CPU ms per record`);
      rows.push(row);
    }
    file = await runFileMode(emulator.url, emulator.pid, dir, options.recordsPerWorker, options);
    log(`scale-out: file mode: ${fmt(file.wallPerSecond)} records/s over the run`);
  } finally {
    await f.close();
    await emulator.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const one = rows.find((r) => r.workers === 1);
  const ideal = 1000 / options.latencyMs * options.concurrency;
  const lines = [
    `### Scale-out: JetStream workers (\`npm run bench -- --scale-out\`)`,
    '',
    `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, load average before ${loadBefore}, after ${loadavg().map((l) => l.toFixed(2)).join(' ')}. ` +
      `Model: echo with ${options.latencyMs} ms latency (emulator process); each worker a CLI process at concurrency ${options.concurrency} ` +
      `(ideal ${fmt(ideal, 0)} records/s per worker); ${fmt(options.recordsPerWorker, 0)} records per worker from a backlog; nats-server ${spawnSync('nats-server', ['--version'], { encoding: 'utf8' }).stdout.trim()}.`,
    '',
    '| workers | records | records/s (10–90 %) | scaling vs 1 worker | records/s (whole run, with start-up) | CPU ms per record: workers | all processes |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.workers} | ${fmt(r.records, 0)} | ${fmt(r.steadyPerSecond)} | ${one ? `${fmt(r.steadyPerSecond / one.steadyPerSecond, 2)}×` : '–'} | ${fmt(r.wallPerSecond)} | ${fmt(r.workerCpuMsPerRecord, 2)} | ${fmt(r.totalCpuMsPerRecord, 2)} |`,
    ),
    '',
    `CPU bound: with ${cpus().length} cores and ${one ? fmt(one.totalCpuMsPerRecord, 2) : '?'} ms of CPU per record over all processes, this machine tops out near ` +
      `${one ? fmt((cpus().length * 1000) / one.totalCpuMsPerRecord, 0) : '?'} records/s whatever the number of workers (less under other load); ` +
      `${fmt(ideal * Math.max(...options.workers), 0)} records/s (${Math.max(...options.workers)} × ${fmt(ideal, 0)}) is what perfect scaling would need.`,
    '',
    `Broker path vs file mode, one process, concurrency ${options.concurrency}, ${fmt(options.recordsPerWorker, 0)} records, whole run with start-up: ` +
      `file mode ${fmt(file!.wallPerSecond)} records/s, one JetStream worker ${one ? fmt(one.wallPerSecond) : '–'} records/s ` +
      `(${one ? fmt(one.wallPerSecond / file!.wallPerSecond, 2) : '–'}× file mode); CPU per record in the worker process ${one ? fmt(one.workerCpuMsPerRecord, 2) : '–'} ms ` +
      `vs ${fmt(file!.cpuMsPerRecord, 2)} ms in file mode (${one ? fmt(one.workerCpuMsPerRecord / file!.cpuMsPerRecord, 2) : '–'}×).`,
    '',
  ];
  return lines.join('\n');
}

if (require.main === module) {
  runScaleOut().then(
    (report) => process.stdout.write(report),
    (err: unknown) => {
      log(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exitCode = 1;
    },
  );
}
