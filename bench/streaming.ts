/**
 * Streaming throughput: `invokeEndpointWithResponseStream$` against the official SDK's async
 * iterator (`InvokeEndpointWithResponseStreamCommand`, `for await` over `Body`) on the same bytes.
 * A server process answers every request with one pre-encoded event stream, so the server's
 * work is the same for both clients: 1,000 small PayloadParts (64 B), and 64 MiB in 64 KiB parts.
 * The clients run in this process, in alternating rounds. Figures are medians of chunks/s and
 * bytes/s over the rounds, with the CPU of this process per stream, and the ratio rx ÷ SDK.
 *
 *   npx tsx bench/streaming.ts [--rounds 5] [--streams 20] [--library DIR]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { InvokeEndpointWithResponseStreamCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { lastValueFrom, tap } from 'rxjs';
import { benchCredentials, BENCH_REGION } from './clients/bench-client.js';
import { median } from './lib/stats.js';
import { payloadPartFrame } from '../src/emulator/wire/event-stream-frames.js';
import { SageMakerRuntime as SourceClient } from '../src/client/sagemaker-runtime.js';

/** `--library DIR` measures a compiled build (e.g. an older one) instead of src/. */
const libraryArg = process.argv.indexOf('--library');
const SageMakerRuntime: typeof SourceClient = libraryArg >= 0 ? (require(`${process.argv[libraryArg + 1]}/index.js`) as { SageMakerRuntime: typeof SourceClient }).SageMakerRuntime : SourceClient;

interface Case {
  name: string;
  parts: number;
  partBytes: number;
  /** Streams per measurement. */
  streams: number;
}

const CASES: Case[] = [
  { name: 'small', parts: 1000, partBytes: 64, streams: 20 },
  { name: 'large', parts: 1024, partBytes: 64 * 1024, streams: 2 },
];

function serve(): void {
  const bodies = new Map<string, Buffer>(
    CASES.map((c) => {
      const part = new Uint8Array(c.partBytes).fill(0x61);
      const frame = payloadPartFrame(part);
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
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
}

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(__filename, ['--serve'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`stream server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

interface Measured {
  chunksPerSecond: number;
  bytesPerSecond: number;
  cpuMsPerStream: number;
}

async function measure(c: Case, stream: () => Promise<{ chunks: number; bytes: number }>): Promise<Measured> {
  let chunks = 0;
  let bytes = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < c.streams; i++) {
    const got = await stream();
    if (got.chunks !== c.parts || got.bytes !== c.parts * c.partBytes) throw new Error(`${c.name}: got ${got.chunks} parts / ${got.bytes} bytes`);
    chunks += got.chunks;
    bytes += got.bytes;
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { chunksPerSecond: chunks / seconds, bytesPerSecond: bytes / seconds, cpuMsPerStream: (used.user + used.system) / 1000 / c.streams };
}

async function main(): Promise<void> {
  if (process.argv.includes('--serve')) return serve();
  const flag = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) || fallback : fallback;
  };
  const rounds = flag('--rounds', 5);
  const streamsScale = flag('--streams', 0);
  const loadBefore = loadavg()[0]!.toFixed(1);
  const { url, child } = await startServer();
  const rx = new SageMakerRuntime({ region: BENCH_REGION, endpoint: url, credentials: benchCredentials() });
  const sdk = new SageMakerRuntimeClient({ region: BENCH_REGION, endpoint: url, credentials: benchCredentials(), maxAttempts: 1 });
  try {
    process.stdout.write('| stream | client | chunks/s | MiB/s | CPU ms / stream | × SDK (chunks/s) |\n| --- | --- | ---: | ---: | ---: | ---: |\n');
    for (const base of CASES) {
      const c = streamsScale > 0 && base.name === 'small' ? { ...base, streams: streamsScale } : base;
      const input = { EndpointName: c.name, Body: '{}', ContentType: 'application/json' };
      const clients: [string, () => Promise<{ chunks: number; bytes: number }>][] = [
        [
          'sagemaker-rx invokeEndpointWithResponseStream$',
          async () => {
            let chunks = 0;
            let bytes = 0;
            const last = await lastValueFrom(
              rx.invokeEndpointWithResponseStream$(input).pipe(
                tap((e) => {
                  if (e.type === 'chunk') {
                    chunks += 1;
                    bytes += e.bytes.byteLength;
                  }
                }),
              ),
            );
            if (last.type !== 'response') throw new Error(`sagemaker-rx ended with ${last.type}`);
            return { chunks, bytes };
          },
        ],
        [
          'official AWS SDK v3, for await over Body',
          async () => {
            const out = await sdk.send(new InvokeEndpointWithResponseStreamCommand(input));
            let chunks = 0;
            let bytes = 0;
            for await (const event of out.Body!) {
              if (event.PayloadPart?.Bytes) {
                chunks += 1;
                bytes += event.PayloadPart.Bytes.byteLength;
              }
            }
            return { chunks, bytes };
          },
        ],
      ];
      for (const [, run] of clients) await measure({ ...c, streams: 1 }, run); // warm-up
      const results = clients.map(() => [] as Measured[]);
      for (let r = 0; r < rounds; r++) for (const [k, [, run]] of clients.entries()) results[k]!.push(await measure(c, run));
      const medians = results.map((rs) => ({
        chunksPerSecond: median(rs.map((m) => m.chunksPerSecond)),
        bytesPerSecond: median(rs.map((m) => m.bytesPerSecond)),
        cpuMsPerStream: median(rs.map((m) => m.cpuMsPerStream)),
      }));
      const sdkRate = medians[1]!.chunksPerSecond;
      const label = `${c.parts.toLocaleString('en-US')} × ${c.partBytes >= 1024 ? `${c.partBytes / 1024} KiB` : `${c.partBytes} B`}`;
      clients.forEach(([name], k) => {
        const m = medians[k]!;
        process.stdout.write(
          `| ${label} | ${name} | ${Math.round(m.chunksPerSecond).toLocaleString('en-US')} | ${(m.bytesPerSecond / 1048576).toFixed(1)} | ${m.cpuMsPerStream.toFixed(1)} | ${(m.chunksPerSecond / sdkRate).toFixed(2)}× |\n`,
        );
      });
    }
    process.stdout.write(`(${rounds} alternating rounds, medians; load average ${loadBefore} before, ${loadavg()[0]!.toFixed(1)} after)\n`);
  } finally {
    await rx.destroy();
    sdk.destroy();
    child.kill();
  }
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
