/**
 * A minimal SageMaker Runtime stand-in for the benchmarks, meant to run in its own process.
 *
 * It answers `POST /endpoints/{name}/invocations` the way the service does on success: reads the
 * whole body, then replies 200 with a small JSON body, `Content-Type: application/json`,
 * `X-Amzn-Invoked-Production-Variant: AllTraffic` and an `x-amzn-RequestId`. It checks no
 * signature, so every client costs it the same. When the request body is a JSON array (first
 * byte `[`), the answer is a JSON array of the same length, so batching codecs can decode it.
 *
 * Run: `npx tsx bench/server.ts [--latency-ms 20] [--port 0]`. When forked with an IPC channel
 * it sends `{ type: 'listening', port }` to its parent and exits when the channel closes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server sends its parent once it listens. */
export interface ServerReadyMessage {
  type: 'listening';
  port: number;
  pid: number;
}

/** Options of {@link startBenchServer}. */
export interface BenchServerOptions {
  /** Fixed model latency added after the body is read, in ms. @default 0 */
  latencyMs?: number;
  /** @default 0 (an ephemeral port) */
  port?: number;
}

const INVOCATIONS_PATH = /^\/endpoints\/[^/]+\/invocations$/;
const OPEN_BRACKET = 0x5b;
const COMMA = 0x2c;

/**
 * Counts the top-level elements of a JSON array without parsing it (enough for the array bodies
 * the batching benchmark sends: objects and scalars, strings without brackets).
 */
function countTopLevelElements(body: Buffer): number {
  let depth = 0;
  let count = 0;
  let sawValue = false;
  let inString = false;
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i]!;
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) { inString = true; if (depth === 1) sawValue = true; continue; }
    if (c === OPEN_BRACKET || c === 0x7b) { depth += 1; if (depth === 2) sawValue = true; continue; }
    if (c === 0x5d || c === 0x7d) { depth -= 1; continue; }
    if (depth === 1) {
      if (c === COMMA) count += 1;
      else if (c > 0x20) sawValue = true;
    }
  }
  return sawValue ? count + 1 : 0;
}

function answerFor(body: Buffer): string {
  if (body.length > 0 && body[0] === OPEN_BRACKET) {
    const n = countTopLevelElements(body);
    return `[${new Array<string>(n).fill('{"score":0.5}').join(',')}]`;
  }
  return `{"score":0.5,"bytes":${body.length}}`;
}

/** Starts the server on 127.0.0.1 and resolves with its port. */
export function startBenchServer(options: BenchServerOptions = {}): Promise<{ port: number; close(): Promise<void> }> {
  const latencyMs = options.latencyMs ?? 0;
  let requestCounter = 0;
  const requestIdPrefix = `${process.pid.toString(16).padStart(8, '0')}-0000-4000-8000-`;

  const reply = (res: ServerResponse, payload: string): void => {
    requestCounter += 1;
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(payload),
      'X-Amzn-Invoked-Production-Variant': 'AllTraffic',
      'x-amzn-RequestId': requestIdPrefix + requestCounter.toString(16).padStart(12, '0'),
    });
    res.end(payload);
  };

  const server = createServer({ keepAliveTimeout: 120_000, requestTimeout: 0 }, (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || !INVOCATIONS_PATH.test(req.url ?? '')) {
      res.writeHead(404, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'UnknownOperationException' });
      res.end('{"message":"not found"}');
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const payload = answerFor(body);
      if (latencyMs > 0) setTimeout(reply, latencyMs, res, payload);
      else reply(res, payload);
    });
  });
  // Idle keep-alive sockets stay open between rounds: a client waiting for its turn keeps its pool.
  server.headersTimeout = 0;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        port,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

function flagValue(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const latencyMs = Number(flagValue(argv, '--latency-ms') ?? 0);
  const port = Number(flagValue(argv, '--port') ?? 0);
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new RangeError(`--latency-ms must be >= 0, got ${latencyMs}`);
  const server = await startBenchServer({ latencyMs, port });
  if (process.send) {
    const ready: ServerReadyMessage = { type: 'listening', port: server.port, pid: process.pid };
    process.send(ready);
    // The parent going away (or disconnecting on purpose) ends the server.
    process.on('disconnect', () => { void server.close().then(() => process.exit(0)); });
  } else {
    process.stdout.write(`bench server listening on http://127.0.0.1:${server.port} (latency ${latencyMs} ms)\n`);
  }
  process.on('SIGTERM', () => { void server.close().then(() => process.exit(0)); });
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench server: ${String(err)}\n`);
    process.exit(1);
  });
}
