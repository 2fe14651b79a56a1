/**
 * The emulator as a load target: requests/s it serves to an unsigned InvokeEndpoint load of
 * 1 KiB bodies against the `echo` model (signature checks off, request log off), ÷ the
 * requests/s of a bare `node:http` server doing the same work (read the body, answer it with
 * the content type, variant and request id headers). Each server runs in its own process; the
 * load is one undici Pool per server at the given concurrency, in alternating windows.
 *
 *   npx tsx bench/emulator-load.ts [--concurrency 16] [--duration-ms 2000] [--rounds 3]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { Pool } from 'undici';
import { median } from './lib/stats.js';
import { startEmulator } from '../src/emulator/index.js';

type Kind = 'emulator' | 'node-http';

async function serve(kind: Kind): Promise<void> {
  if (kind === 'emulator') {
    const emulator = await startEmulator({ credentials: false, recordRequests: 0 });
    process.send!({ url: emulator.url });
    return;
  }
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
  server.listen(0, '127.0.0.1', () => process.send!({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
}

async function start(kind: Kind): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(__filename, ['--serve', kind], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { url: string }) => resolve(m.url));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { url, child };
}

async function load(pool: Pool, concurrency: number, durationMs: number, body: Uint8Array): Promise<number> {
  let done = 0;
  const until = performance.now() + durationMs;
  const worker = async () => {
    while (performance.now() < until) {
      const res = await pool.request({ path: '/endpoints/echo/invocations', method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await res.body.arrayBuffer();
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
      done += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const kindArg = process.argv.indexOf('--serve');
  if (kindArg >= 0) return serve(process.argv[kindArg + 1] as Kind);
  const flag = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) || fallback : fallback;
  };
  const concurrency = flag('--concurrency', 16);
  const durationMs = flag('--duration-ms', 2000);
  const rounds = flag('--rounds', 3);
  const body = new TextEncoder().encode(JSON.stringify({ text: 'x'.repeat(1000) }).slice(0, 1024));
  const loadBefore = loadavg()[0]!.toFixed(1);
  const servers = await Promise.all((['emulator', 'node-http'] as const).map(async (kind) => ({ kind, ...(await start(kind)) })));
  const pools = servers.map((s) => new Pool(s.url, { connections: concurrency }));
  try {
    for (const pool of pools) await load(pool, concurrency, 500, body); // warm-up
    const rates = servers.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) for (const [k, pool] of pools.entries()) rates[k]!.push(await load(pool, concurrency, durationMs, body));
    const [emulator, bare] = rates.map((rs) => median(rs)) as [number, number];
    process.stdout.write('| server | req/s | per round |\n| --- | ---: | --- |\n');
    servers.forEach((s, k) => process.stdout.write(`| ${s.kind} | ${Math.round(median(rates[k]!)).toLocaleString('en-US')} | ${rates[k]!.map((x) => Math.round(x)).join(' / ')} |\n`));
    process.stdout.write(`\nemulator ÷ bare node:http: ${(emulator / bare).toFixed(2)}× (goal ≥ 0.7×); 1 KiB, c=${concurrency}, ${rounds} × ${durationMs} ms alternating; load average ${loadBefore} before, ${loadavg()[0]!.toFixed(1)} after\n`);
  } finally {
    await Promise.all(pools.map((p) => p.close()));
    for (const s of servers) s.child.kill();
  }
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
