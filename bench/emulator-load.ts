/**
 * The emulator as a load target: requests/s it serves to an InvokeEndpoint load of 1 KiB bodies
 * against the `echo` model (request log off), ÷ the requests/s of a bare `node:http` server doing
 * the same work (read the body, answer it with the content type, variant and request id headers),
 * and each server's own CPU time per request (`process.cpuUsage()` of its process over the
 * window, reported over IPC), which the load average does not move as much as a rate.
 *
 * Two loads: unsigned (the emulator with `credentials: false`; the goal's row) and signed (the
 * emulator verifying SigV4 with its default key; the bare server ignores the header). A signed
 * request is signed with `@smithy/signature-v4` and static credentials once per window and sent
 * as it is for the window's length (within the emulator's clock skew), so the load generator's
 * own signing does not limit the rate: the row measures the server's verification.
 *
 * Each server runs in its own process; the load is one undici Pool per server at the given
 * concurrency, in alternating windows (emulator, baseline emulator if any, bare; each load).
 *
 *   npx tsx bench/emulator-load.ts [--concurrency 16] [--duration-ms 1500] [--rounds 3] [--quick]
 *                                  [--library DIR] [--baseline DIR]
 *
 * `--library`/`--baseline` take a CommonJS build of the library (see lib/build-library.ts): the
 * emulator is loaded from `<dir>/emulator/index.js`; without `--library`, from `src/` through tsx.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { Pool } from 'undici';
import { forkTs, nextMessage, request, waitForExit } from './lib/child.js';
import type { BenchSection, SectionOptions } from './lib/section.js';
import { median } from './lib/stats.js';

type ServerKind = 'emulator' | 'baseline' | 'node-http';
type LoadKind = 'unsigned' | 'signed';

const LOADS: readonly LoadKind[] = ['unsigned', 'signed'];
const ENDPOINT_PATH = '/endpoints/echo/invocations';
const CONTENT_TYPE = 'application/json';
/** The emulator's default key and region (`EMULATOR_CREDENTIALS`, `EMULATOR_REGION`). */
const CREDENTIALS = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator/secret/access/key/0000000000000' };
const REGION = 'us-east-1';

/** What a server child tells the parent once it listens. */
interface Listening {
  urls: Record<LoadKind, string>;
}

/** A server child's CPU time so far (µs, user + system). */
interface CpuAnswer {
  cpuMicros: number;
}

// ---------------------------------------------------------------------------------------------
// The server child
// ---------------------------------------------------------------------------------------------

async function serve(kind: ServerKind, libraryDir: string | undefined): Promise<void> {
  let urls: Record<LoadKind, string>;
  if (kind === 'node-http') {
    const url = await bareServer();
    urls = { unsigned: url, signed: url };
  } else {
    const from = libraryDir ?? join(__dirname, '..', 'src');
    const { startEmulator } = require(join(from, 'emulator', 'index.js')) as typeof import('../src/emulator/index.js');
    const unsigned = await startEmulator({ credentials: false, recordRequests: 0 });
    const signed = await startEmulator({ recordRequests: 0 });
    urls = { unsigned: unsigned.url, signed: signed.url };
  }
  process.on('message', (message: unknown) => {
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send!({ cpuMicros: user + system } satisfies CpuAnswer);
    } else if (message === 'exit') {
      process.exit(0);
    }
  });
  process.send!({ urls } satisfies Listening);
}

/** The same work without the emulator: read the body, answer it with the three headers. */
function bareServer(): Promise<string> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      res.writeHead(200, {
        'content-type': req.headers['content-type'] ?? 'application/octet-stream',
        'x-amzn-invoked-production-variant': 'AllTraffic',
        'x-amzn-requestid': randomUUID(),
      });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

// ---------------------------------------------------------------------------------------------
// The load
// ---------------------------------------------------------------------------------------------

interface Server {
  kind: ServerKind;
  label: string;
  child: ChildProcess;
  pools: Record<LoadKind, Pool>;
  urls: Record<LoadKind, string>;
}

async function startServer(kind: ServerKind, label: string, libraryDir: string | undefined, concurrency: number): Promise<Server> {
  const child = forkTs(__filename, ['--serve', kind, ...(libraryDir ? ['--library', libraryDir] : [])]);
  const { urls } = await nextMessage<Listening>(child, `${label} server`, 60_000);
  const pools = { unsigned: new Pool(urls.unsigned, { connections: concurrency }), signed: new Pool(urls.signed, { connections: concurrency }) };
  return { kind, label, child, pools, urls };
}

/** The headers of a signed request to `url` (valid for the emulator's clock skew). */
async function signedHeaders(url: string, body: Uint8Array): Promise<Record<string, string>> {
  const { hostname, port, host, protocol } = new URL(url);
  const signer = new SignatureV4({ service: 'sagemaker', region: REGION, credentials: CREDENTIALS, sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign({ method: 'POST', protocol, hostname, port: Number(port), path: ENDPOINT_PATH, query: {}, headers: { host, 'content-type': CONTENT_TYPE }, body });
  const headers: Record<string, string> = {};
  // undici sends the same `host` itself.
  for (const [name, value] of Object.entries(signed.headers)) if (name !== 'host') headers[name] = value;
  return headers;
}

interface Window {
  rate: number;
  cpuMicrosPerRequest: number;
}

/** One window of load: requests/s and the server's CPU µs per request. */
async function window(server: Server, load: LoadKind, concurrency: number, durationMs: number, body: Uint8Array): Promise<Window> {
  const headers = load === 'signed' ? await signedHeaders(server.urls.signed, body) : { 'content-type': CONTENT_TYPE };
  const pool = server.pools[load];
  let done = 0;
  const before = await request<CpuAnswer>(server.child, 'cpu', `${server.label} cpu`);
  const started = performance.now();
  const until = started + durationMs;
  const worker = async () => {
    while (performance.now() < until) {
      const res = await pool.request({ path: ENDPOINT_PATH, method: 'POST', headers, body });
      await res.body.arrayBuffer();
      if (res.statusCode !== 200) throw new Error(`${server.label} (${load}): status ${res.statusCode}`);
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const after = await request<CpuAnswer>(server.child, 'cpu', `${server.label} cpu`);
  return { rate: done / seconds, cpuMicrosPerRequest: (after.cpuMicros - before.cpuMicros) / done };
}

// ---------------------------------------------------------------------------------------------
// The section
// ---------------------------------------------------------------------------------------------

interface Figures {
  rate: number;
  cpu: number;
  rates: number[];
}

const fmtRate = (x: number) => Math.round(x).toLocaleString('en-US');
const fmtRatio = (x: number) => `${x.toFixed(2)}×`;

/**
 * Measures the emulator (and the baseline build, when given) against a bare `node:http` server,
 * unsigned and signed, in alternating windows; the goal is the unsigned row's req/s ratio.
 */
export async function measureEmulatorLoad(options: SectionOptions & { concurrency?: number; durationMs?: number; rounds?: number }): Promise<BenchSection> {
  const concurrency = options.concurrency ?? 16;
  const durationMs = options.durationMs ?? (options.quick ? 500 : 1500);
  const rounds = options.rounds ?? (options.quick ? 1 : 3);
  const body = new TextEncoder().encode(JSON.stringify({ text: 'x'.repeat(1024) }).slice(0, 1024));
  const loadBefore = loadavg()[0]!;
  const plan: Array<[ServerKind, string, string | undefined]> = [['emulator', 'emulator', options.libraryDir]];
  if (options.baselineDir !== undefined) plan.push(['baseline', 'emulator (baseline)', options.baselineDir]);
  plan.push(['node-http', 'bare node:http', undefined]);
  const servers: Server[] = [];
  try {
    for (const [kind, label, dir] of plan) servers.push(await startServer(kind, label, dir, concurrency));
    options.log(`emulator load: ${servers.map((s) => s.label).join(', ')}; ${rounds} × ${durationMs} ms per load, c=${concurrency}`);
    // Warm-up long enough for the JIT to settle: a cold emulator loses most to a warm bare server.
    for (const server of servers) for (const load of LOADS) await window(server, load, concurrency, 1000, body);
    const windows = new Map<string, Window[]>();
    for (let r = 0; r < rounds; r++) {
      for (const load of LOADS) {
        for (const server of servers) {
          const w = await window(server, load, concurrency, durationMs, body);
          const key = `${server.kind}/${load}`;
          windows.set(key, [...(windows.get(key) ?? []), w]);
        }
      }
    }
    const figures = (kind: ServerKind, load: LoadKind): Figures => {
      const ws = windows.get(`${kind}/${load}`)!;
      return { rate: median(ws.map((w) => w.rate)), cpu: median(ws.map((w) => w.cpuMicrosPerRequest)), rates: ws.map((w) => w.rate) };
    };
    const loadAfter = loadavg()[0]!;
    const lines: string[] = [
      `1 KiB bodies to the \`echo\` model, request log off, c=${concurrency}; ${rounds} alternating round(s) of ${durationMs} ms per server and load; medians. ` +
        `CPU is the server process's own (\`process.cpuUsage()\` over each window). Load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after.`,
      '',
      '| load | server | req/s | per window | CPU µs/request |',
      '| --- | --- | ---: | --- | ---: |',
    ];
    for (const load of LOADS) {
      for (const server of servers) {
        const f = figures(server.kind, load);
        lines.push(`| ${load} | ${server.label} | ${fmtRate(f.rate)} | ${f.rates.map(fmtRate).join(' / ')} | ${f.cpu.toFixed(1)} |`);
      }
    }
    lines.push('', '| load | emulator ÷ bare req/s | bare ÷ emulator CPU/request |' + (options.baselineDir ? ' after ÷ before req/s | before ÷ after CPU/request |' : ''));
    lines.push('| --- | ---: | ---: |' + (options.baselineDir ? ' ---: | ---: |' : ''));
    const ratios: Record<LoadKind, number> = { unsigned: Number.NaN, signed: Number.NaN };
    for (const load of LOADS) {
      const emu = figures('emulator', load);
      const bare = figures('node-http', load);
      ratios[load] = emu.rate / bare.rate;
      let row = `| ${load} | ${fmtRatio(emu.rate / bare.rate)} | ${fmtRatio(bare.cpu / emu.cpu)} |`;
      if (options.baselineDir) {
        const before = figures('baseline', load);
        row += ` ${fmtRatio(emu.rate / before.rate)} | ${fmtRatio(before.cpu / emu.cpu)} |`;
      }
      lines.push(row);
    }
    lines.push(
      '',
      'The goal (emulator ≥ 0.7× bare node:http) is the unsigned row: the bare server does not validate or route, and the remaining gap is that work. ' +
        'The signed row adds the emulator\'s SigV4 verification (a request signed once per window with `@smithy/signature-v4`, so the load generator does not sign per request), work the bare server does not do: it is reported, not a goal.',
    );
    return {
      title: 'The emulator as a load target',
      markdown: lines.join('\n'),
      goals: [{ target: 'emulator ≥ 0.7× bare node:http', where: `1 KiB, c=${concurrency}, unsigned`, ratio: Number.isFinite(ratios.unsigned) ? ratios.unsigned : undefined, atLeast: 0.7 }],
    };
  } finally {
    for (const server of servers) {
      await Promise.all(LOADS.map((l) => server.pools[l].close()));
      server.child.send('exit');
      await waitForExit(server.child);
    }
  }
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const serveKind = flag('--serve');
  if (serveKind !== undefined) return serve(serveKind as ServerKind, flag('--library'));
  const number = (name: string) => (flag(name) !== undefined ? Number(flag(name)) || undefined : undefined);
  const section = await measureEmulatorLoad({
    quick: process.argv.includes('--quick'),
    libraryDir: flag('--library'),
    baselineDir: flag('--baseline'),
    concurrency: number('--concurrency'),
    durationMs: number('--duration-ms'),
    rounds: number('--rounds'),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`## ${section.title}\n\n${section.markdown}\n\n`);
  for (const goal of section.goals) process.stdout.write(`goal: ${goal.target} (${goal.where}): ${goal.ratio === undefined ? 'not measured' : fmtRatio(goal.ratio)}\n`);
}

if (require.main === module) {
  void main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
