/**
 * Streaming throughput: `invokeEndpointWithResponseStream$` against the official SDK's async
 * iterator (`InvokeEndpointWithResponseStreamCommand`, `for await` over `Body`) on the same bytes.
 * A server process answers every request with one pre-encoded event stream, so the server's
 * work is the same for every client: 1,000 small PayloadParts (64 B), and 64 MiB in 64 KiB parts.
 *
 * Each client runs in its own process (no shared heap, GC or JIT state), and the clients take
 * turns in many short rounds, in a rotating order. The CPU time a client's process spent per
 * stream is the figure that load on the machine disturbs least; chunks/s and MiB/s are wall-clock
 * rates. Ratios are the medians of the ratios taken within each round (clients measured
 * back-to-back see about the same load), not ratios of medians.
 *
 *   npx tsx bench/streaming.ts [--quick] [--rounds N] [--library DIR] [--baseline DIR|REF]
 *                              [--only rx|sdk] [--case small|large] [--profile DIR]
 *
 * `--baseline` takes a CommonJS build (`<dir>/index.js`) or a git ref to build; `--profile DIR`
 * writes a V8 CPU profile of each client process into DIR.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { benchCredentials, BENCH_REGION } from './clients/bench-client.js';
import { buildLibrary } from './lib/build-library.js';
import { forkTs, nextMessage, request, waitForExit } from './lib/child.js';
import type { BenchSection, SectionGoal, SectionOptions } from './lib/section.js';
import { median } from './lib/stats.js';

interface Case {
  name: string;
  label: string;
  parts: number;
  partBytes: number;
  /** Streams per client per round. */
  streams: number;
  quickStreams: number;
  /** Unmeasured streams per client first (JIT tiers up over the first few thousand chunks). */
  warmup: number;
}

const CASES: readonly Case[] = [
  { name: 'small', label: '1,000 × 64 B', parts: 1000, partBytes: 64, streams: 8, quickStreams: 4, warmup: 10 },
  { name: 'large', label: '1,024 × 64 KiB', parts: 1024, partBytes: 64 * 1024, streams: 1, quickStreams: 1, warmup: 2 },
];

const ROUNDS = 9;
const QUICK_ROUNDS = 3;

type ClientKind = 'rx' | 'sdk';

interface ClientSpec {
  /** The row's name. */
  name: string;
  kind: ClientKind;
  /** The CommonJS build to load (rx only); `undefined`: src/ through tsx. */
  libraryDir?: string;
}

interface RunMessage {
  type: 'run';
  url: string;
  endpoint: string;
  parts: number;
  partBytes: number;
  streams: number;
}

/** What one client process measured over `streams` streams. */
interface Measured {
  chunksPerSecond: number;
  bytesPerSecond: number;
  cpuMsPerStream: number;
}

type ChildAnswer = { type: 'ready' } | { type: 'failed'; message: string } | ({ type: 'result' } & Measured);

// ---------------------------------------------------------------------------------------------
// The server process

function serve(): void {
  // Imported here: only the server process encodes frames.
  const { payloadPartFrame } = require('../src/emulator/wire/event-stream-frames.js') as typeof import('../src/emulator/wire/event-stream-frames.js');
  const bodies = new Map<string, Buffer>(
    CASES.map((c) => {
      const frame = payloadPartFrame(new Uint8Array(c.partBytes).fill(0x61));
      const all = Buffer.alloc(frame.byteLength * c.parts);
      for (let i = 0; i < c.parts; i++) all.set(frame, i * frame.byteLength);
      return [`/endpoints/${c.name}/invocations-response-stream`, all] as const;
    }),
  );
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = bodies.get(req.url ?? '');
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-sagemaker-content-type': 'text/plain', 'x-amzn-requestid': 'r' });
      res.end(body);
    });
  });
  server.listen(0, '127.0.0.1', () => process.send!({ type: 'listening', port: (server.address() as AddressInfo).port }));
  process.on('disconnect', () => server.close(() => process.exit(0)));
}

// ---------------------------------------------------------------------------------------------
// A client process

type StreamOnce = (run: RunMessage) => Promise<{ chunks: number; bytes: number }>;

function rxClient(libraryDir: string | undefined): StreamOnce & { close(): Promise<void> } {
  type RxModule = typeof import('../src/index.js');
  const { SageMakerRuntime } = (libraryDir === undefined ? require('../src/index.js') : require(join(libraryDir, 'index.js'))) as RxModule;
  const clients = new Map<string, InstanceType<RxModule['SageMakerRuntime']>>();
  const once = (run: RunMessage) => {
    let client = clients.get(run.url);
    if (!client) clients.set(run.url, (client = new SageMakerRuntime({ region: BENCH_REGION, endpoint: run.url, credentials: benchCredentials() })));
    let chunks = 0;
    let bytes = 0;
    return new Promise<{ chunks: number; bytes: number }>((done, fail) => {
      client.invokeEndpointWithResponseStream$({ EndpointName: run.endpoint, Body: '{}', ContentType: 'application/json' }).subscribe({
        next(e) {
          if (e.type === 'chunk') {
            chunks += 1;
            bytes += e.bytes.byteLength;
          } else if (e.type === 'error') fail(e.error);
        },
        error: fail,
        complete: () => done({ chunks, bytes }),
      });
    });
  };
  return Object.assign(once, { close: async () => { for (const c of clients.values()) await c.destroy(); } });
}

function sdkClient(): StreamOnce & { close(): Promise<void> } {
  const sdk = require('@aws-sdk/client-sagemaker-runtime') as typeof import('@aws-sdk/client-sagemaker-runtime');
  const clients = new Map<string, InstanceType<typeof sdk.SageMakerRuntimeClient>>();
  const once = async (run: RunMessage) => {
    let client = clients.get(run.url);
    if (!client) clients.set(run.url, (client = new sdk.SageMakerRuntimeClient({ region: BENCH_REGION, endpoint: run.url, credentials: benchCredentials(), maxAttempts: 1 })));
    const out = await client.send(new sdk.InvokeEndpointWithResponseStreamCommand({ EndpointName: run.endpoint, Body: '{}', ContentType: 'application/json' }));
    let chunks = 0;
    let bytes = 0;
    for await (const event of out.Body!) {
      if (event.PayloadPart?.Bytes) {
        chunks += 1;
        bytes += event.PayloadPart.Bytes.byteLength;
      }
    }
    return { chunks, bytes };
  };
  return Object.assign(once, { close: async () => { for (const c of clients.values()) c.destroy(); } });
}

async function clientProcess(kind: ClientKind, libraryDir: string | undefined): Promise<void> {
  let stream: ReturnType<typeof rxClient>;
  try {
    stream = kind === 'rx' ? rxClient(libraryDir) : sdkClient();
  } catch (err) {
    process.send!({ type: 'failed', message: err instanceof Error ? err.message : String(err) } satisfies ChildAnswer);
    return;
  }
  process.on('message', (message: RunMessage | { type: 'close' }) => {
    if (message.type === 'close') {
      void stream.close().finally(() => process.exit(0));
      return;
    }
    void (async () => {
      try {
        let chunks = 0;
        let bytes = 0;
        const cpu = process.cpuUsage();
        const started = performance.now();
        for (let i = 0; i < message.streams; i++) {
          const got = await stream(message);
          if (got.chunks !== message.parts || got.bytes !== message.parts * message.partBytes) throw new Error(`${message.endpoint}: got ${got.chunks} parts / ${got.bytes} bytes`);
          chunks += got.chunks;
          bytes += got.bytes;
        }
        const seconds = (performance.now() - started) / 1000;
        const used = process.cpuUsage(cpu);
        process.send!({ type: 'result', chunksPerSecond: chunks / seconds, bytesPerSecond: bytes / seconds, cpuMsPerStream: (used.user + used.system) / 1000 / message.streams } satisfies ChildAnswer);
      } catch (err) {
        process.send!({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies ChildAnswer);
      }
    })();
  });
  process.on('disconnect', () => void stream.close().finally(() => process.exit(0)));
  process.send!({ type: 'ready' } satisfies ChildAnswer);
}

// ---------------------------------------------------------------------------------------------
// The parent: rounds, medians, the section

interface Running {
  spec: ClientSpec;
  child: ChildProcess;
}

async function startClient(spec: ClientSpec, profileDir: string | undefined): Promise<Running> {
  const args = ['--client', spec.kind, ...(spec.libraryDir === undefined ? [] : ['--library-dir', spec.libraryDir])];
  const execArgv = profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `streaming-${spec.name.replace(/\W+/g, '-')}-${Date.now()}.cpuprofile`];
  const child = forkTs(__filename, args, { execArgv });
  const ready = await nextMessage<ChildAnswer>(child, spec.name, 60_000);
  if (ready.type !== 'ready') throw new Error(`${spec.name}: ${ready.type === 'failed' ? ready.message : 'unexpected answer'}`);
  return { spec, child };
}

async function runOn(client: Running, run: RunMessage): Promise<Measured> {
  const answer = await request<ChildAnswer>(client.child, run, client.spec.name, 300_000);
  if (answer.type !== 'result') throw new Error(`${client.spec.name}: ${answer.type === 'failed' ? answer.message : 'unexpected answer'}`);
  return answer;
}

async function stopClient(client: Running): Promise<void> {
  if (client.child.connected) client.child.send({ type: 'close' });
  await waitForExit(client.child);
}

interface ClientFigures {
  spec: ClientSpec;
  chunksPerSecond: number;
  bytesPerSecond: number;
  cpuMsPerStream: number;
  /** Medians of the per-round ratios against the SDK (undefined for the SDK row, or when there is none). */
  chunksRatio?: number;
  bytesRatio?: number;
  /** SDK CPU per stream ÷ this client's: above 1 when this client spends less. */
  cpuRatio?: number;
}

interface CaseFigures {
  c: Case;
  clients: ClientFigures[];
}

function pairedRatio(rounds: readonly Measured[][], k: number, base: number, pick: (m: Measured) => number): number {
  return median(rounds.map((r) => pick(r[k]!) / pick(r[base]!)));
}

async function runCases(cases: readonly Case[], specs: ClientSpec[], quick: boolean, rounds: number, log: (line: string) => void, profileDir?: string): Promise<CaseFigures[]> {
  const server = forkTs(__filename, ['--serve']);
  const clients: Running[] = [];
  try {
    const listening = await nextMessage<{ type: string; port: number }>(server, 'stream server', 60_000);
    const url = `http://127.0.0.1:${listening.port}`;
    for (const spec of specs) clients.push(await startClient(spec, profileDir));
    const out: CaseFigures[] = [];
    for (const c of cases) {
      const run = (streams: number): RunMessage => ({ type: 'run', url, endpoint: c.name, parts: c.parts, partBytes: c.partBytes, streams });
      for (const client of clients) await runOn(client, run(c.warmup)); // warm-up: JIT, connection
      const measured: Measured[][] = [];
      for (let r = 0; r < rounds; r++) {
        const round: Measured[] = new Array(clients.length);
        // A rotating order, so that no client always runs right after the same one.
        for (let j = 0; j < clients.length; j++) {
          const k = (r + j) % clients.length;
          round[k] = await runOn(clients[k]!, run(quick ? c.quickStreams : c.streams));
        }
        measured.push(round);
      }
      const sdk = specs.findIndex((s) => s.kind === 'sdk');
      out.push({
        c,
        clients: specs.map((spec, k) => {
          const mine = measured.map((r) => r[k]!);
          const figures: ClientFigures = {
            spec,
            chunksPerSecond: median(mine.map((m) => m.chunksPerSecond)),
            bytesPerSecond: median(mine.map((m) => m.bytesPerSecond)),
            cpuMsPerStream: median(mine.map((m) => m.cpuMsPerStream)),
          };
          if (sdk >= 0 && k !== sdk) {
            figures.chunksRatio = pairedRatio(measured, k, sdk, (m) => m.chunksPerSecond);
            figures.bytesRatio = pairedRatio(measured, k, sdk, (m) => m.bytesPerSecond);
            figures.cpuRatio = pairedRatio(measured, sdk, k, (m) => m.cpuMsPerStream);
          }
          return figures;
        }),
      });
      log(`streaming: ${c.label} done`);
    }
    return out;
  } finally {
    await Promise.all(clients.map(stopClient));
    if (server.connected) server.disconnect();
    await waitForExit(server);
  }
}

const ratio = (x: number | undefined): string => (x === undefined ? '' : `${x.toFixed(2)}×`);

/**
 * Measures `invokeEndpointWithResponseStream$` against the SDK on the two streams, each client in
 * its own process, and (with `baselineDir`) the baseline build in the same rounds.
 */
export async function measureStreaming(options: SectionOptions & { rounds?: number; only?: ClientKind; profileDir?: string; cases?: readonly string[] }): Promise<BenchSection> {
  const rounds = options.rounds ?? (options.quick ? QUICK_ROUNDS : ROUNDS);
  const RX = 'sagemaker-rx `invokeEndpointWithResponseStream$`';
  const specs: ClientSpec[] = [];
  if (options.only !== 'sdk') specs.push({ name: RX, kind: 'rx', libraryDir: options.libraryDir });
  if (options.baselineDir !== undefined && options.only === undefined) specs.push({ name: 'sagemaker-rx before (baseline build)', kind: 'rx', libraryDir: options.baselineDir });
  if (options.only !== 'rx') specs.push({ name: 'official AWS SDK v3, `for await` over `Body`', kind: 'sdk' });
  const loadBefore = loadavg();
  const cases = options.cases === undefined ? CASES : CASES.filter((c) => options.cases!.includes(c.name));
  const figures = await runCases(cases, specs, options.quick, rounds, options.log, options.profileDir);
  const loadAfter = loadavg();

  const lines = [
    'One server process answers every request with the same pre-encoded event stream. Each client',
    `runs in its own process; ${rounds} rounds, the clients one after the other in a rotating order`,
    `(${cases.map((c) => `${options.quick ? c.quickStreams : c.streams} × ${c.label}`).join(', ')} streams per client per round, after`,
    `${cases.map((c) => `${c.warmup}`).join(' and ')} unmeasured warm-up streams).`,
    'Rates and CPU are medians over the rounds; each ratio is the median of the ratios within a round.',
    '"÷ SDK CPU" is the SDK\'s CPU per stream ÷ this client\'s (above 1: less CPU than the SDK).',
    '',
    '| stream | client | chunks/s | MiB/s | CPU ms / stream | ÷ SDK chunks/s | ÷ SDK MiB/s | ÷ SDK CPU |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { c, clients } of figures) {
    for (const f of clients) {
      lines.push(
        `| ${c.label} | ${f.spec.name} | ${Math.round(f.chunksPerSecond).toLocaleString('en-US')} | ${(f.bytesPerSecond / 1048576).toFixed(1)} | ${f.cpuMsPerStream.toFixed(2)} | ${ratio(f.chunksRatio)} | ${ratio(f.bytesRatio)} | ${ratio(f.cpuRatio)} |`,
      );
    }
  }
  if (options.baselineDir !== undefined && options.only === undefined) {
    lines.push('', '| stream | after ÷ before chunks/s | after ÷ before CPU ms / stream |', '| --- | ---: | ---: |');
    for (const { c, clients } of figures) {
      const [after, before] = clients;
      if (!after || !before) continue;
      lines.push(`| ${c.label} | ${ratio(after.chunksPerSecond / before.chunksPerSecond)} | ${ratio(after.cpuMsPerStream / before.cpuMsPerStream)} |`);
    }
  }
  lines.push('', `Load average (1/5/15 min): ${loadBefore.map((l) => l.toFixed(1)).join(' / ')} before, ${loadAfter.map((l) => l.toFixed(1)).join(' / ')} after.`);

  const goals: SectionGoal[] = figures.map(({ c, clients }) => ({
    target: '`invokeEndpointWithResponseStream$` ≥ 2× SDK chunks/s',
    where: c.label,
    ratio: clients.find((f) => f.spec.name === RX)?.chunksRatio,
    atLeast: 2,
  }));
  return { title: 'Streaming: `invokeEndpointWithResponseStream$` ÷ the SDK', markdown: lines.join('\n'), goals };
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  if (process.argv.includes('--serve')) return serve();
  const kind = argValue('--client');
  if (kind === 'rx' || kind === 'sdk') return clientProcess(kind, argValue('--library-dir'));

  const library = argValue('--library');
  const baseline = argValue('--baseline');
  let built: { dir: string; remove(): void } | undefined;
  let baselineDir: string | undefined;
  if (baseline !== undefined) {
    if (existsSync(join(baseline, 'index.js'))) baselineDir = resolve(baseline);
    else {
      process.stderr.write(`streaming: building ${baseline}…\n`);
      built = buildLibrary(baseline);
      baselineDir = built.dir;
    }
  }
  const profile = argValue('--profile');
  const only = argValue('--only');
  try {
    const section = await measureStreaming({
      quick: process.argv.includes('--quick'),
      rounds: argValue('--rounds') === undefined ? undefined : Number(argValue('--rounds')),
      libraryDir: library === undefined ? undefined : resolve(library),
      baselineDir,
      only: only === 'rx' || only === 'sdk' ? only : undefined,
      profileDir: profile === undefined ? undefined : resolve(profile),
      cases: argValue('--case')?.split(','),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    process.stdout.write(`## ${section.title}\n\n${section.markdown}\n\n`);
    for (const g of section.goals) process.stdout.write(`- ${g.target}, ${g.where}: ${ratio(g.ratio) || 'not measured'}\n`);
  } finally {
    built?.remove();
  }
}

if (require.main === module) {
  void main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
