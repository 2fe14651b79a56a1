/**
 * The client table: per configuration (body × concurrency), one worker process per client, then
 * alternating rounds (A B C D E, A B C D E, …), then the median of each client over its rounds.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ClientId } from '../clients/registry.js';
import type { MeasureResult, WorkerInit, WorkerMessage } from '../worker.js';
import type { BenchOptions } from './args.js';
import { formatBytes } from './body.js';
import { forkTs, nextMessage, request, waitForExit } from './child.js';
import { median } from './stats.js';

export interface ClientRow {
  client: ClientId;
  rounds: MeasureResult[];
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPer1k: number;
  peakRssMiB: number;
  requests: number;
  errors: number;
  firstError?: string;
}

export interface ConfigResult {
  bodyBytes: number;
  concurrency: number;
  rows: ClientRow[];
  /** Clients that could not start (e.g. a library file not written yet), with why. */
  unavailable: { client: ClientId; reason: string }[];
}

export const ENDPOINT_NAME = 'bench-endpoint';

type Log = (line: string) => void;

interface Worker { client: ClientId; child: ChildProcess }

async function startWorker(init: WorkerInit): Promise<Worker | { client: ClientId; reason: string }> {
  // --no-warnings: the AWS SDK's Node-version notice would repeat once per worker.
  const child = forkTs(join(__dirname, '..', 'worker.ts'), [JSON.stringify(init)], { execArgv: ['--no-warnings'] });
  try {
    const first = await nextMessage<WorkerMessage>(child, `${init.client} worker`, 60_000);
    if (first.type === 'ready') return { client: init.client, child };
    await waitForExit(child);
    return { client: init.client, reason: first.type === 'failed' ? first.message : `unexpected ${first.type}` };
  } catch (err) {
    child.kill();
    return { client: init.client, reason: err instanceof Error ? err.message : String(err) };
  }
}

function aggregate(client: ClientId, rounds: MeasureResult[]): ClientRow {
  const row: ClientRow = {
    client,
    rounds,
    requestsPerSecond: median(rounds.map((r) => r.requestsPerSecond)),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    cpuMsPer1k: median(rounds.map((r) => r.cpuMsPer1k)),
    peakRssMiB: Math.max(...rounds.map((r) => r.peakRssMiB)),
    requests: rounds.reduce((sum, r) => sum + r.requests, 0),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
  };
  const firstError = rounds.find((r) => r.firstError !== undefined)?.firstError;
  if (firstError !== undefined) row.firstError = firstError;
  return row;
}

async function runConfig(url: string, bodyBytes: number, concurrency: number, options: BenchOptions, log: Log): Promise<ConfigResult> {
  const started = await Promise.all(options.clients.map((client) => {
    const init: WorkerInit = { client, url, endpointName: ENDPOINT_NAME, concurrency, bodyBytes };
    if (options.profileDir !== undefined) init.profileDir = options.profileDir;
    return startWorker(init);
  }));
  const workers = started.filter((w): w is Worker => 'child' in w);
  const unavailable = started.filter((w): w is { client: ClientId; reason: string } => 'reason' in w);
  for (const u of unavailable) log(`  ${u.client}: not measured (${u.reason.split('\n')[0]})`);
  const rounds = new Map<ClientId, MeasureResult[]>(workers.map((w) => [w.client, []]));
  try {
    for (let round = 0; round < options.repeats; round += 1) {
      for (const worker of workers) {
        const command = { type: 'run', round: round + 1, warmupMs: round === 0 ? options.firstWarmupMs : options.warmupMs, durationMs: options.durationMs, requests: options.requests };
        const answer = await request<WorkerMessage>(worker.child, command, `${worker.client} run`);
        if (answer.type !== 'result') throw new Error(`${worker.client}: ${answer.type === 'failed' ? answer.message : answer.type}`);
        rounds.get(worker.client)!.push(answer);
        log(`  round ${round + 1}/${options.repeats} ${worker.client.padEnd(22)} ${answer.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${answer.p50Ms.toFixed(2)} ms  p99 ${answer.p99Ms.toFixed(2)} ms${answer.errors ? `  ${answer.errors} errors (${answer.firstError})` : ''}`);
      }
    }
  } finally {
    await Promise.all(workers.map(async (w) => {
      if (w.child.connected) w.child.send({ type: 'close' });
      await waitForExit(w.child);
    }));
  }
  return { bodyBytes, concurrency, rows: workers.map((w) => aggregate(w.client, rounds.get(w.client)!)), unavailable };
}

/** Runs every configuration of `options` against the server at `url`. */
export async function runClientRounds(url: string, options: BenchOptions, log: Log): Promise<ConfigResult[]> {
  const results: ConfigResult[] = [];
  for (const bodyBytes of options.bodies) {
    for (const concurrency of options.concurrencies) {
      log(`body ${formatBytes(bodyBytes)}, concurrency ${concurrency}:`);
      results.push(await runConfig(url, bodyBytes, concurrency, options, log));
    }
  }
  return results;
}
