/**
 * One client under test, in its own process (so CPU time and peak RSS are its own). Forked by
 * `run.ts` with a JSON `WorkerInit` as its argument; answers `ready`, then one `MeasureResult`
 * per `run` message (a warm-up, then a measured closed loop of `concurrency` workers), and exits
 * on `close`.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { makeBody } from './lib/body.js';
import { percentileSorted } from './lib/stats.js';
import type { BenchClient, BenchClientFactory } from './clients/bench-client.js';
import { clientInfo, type ClientId } from './clients/registry.js';

export interface WorkerInit {
  client: ClientId;
  url: string;
  endpointName: string;
  concurrency: number;
  bodyBytes: number;
  /** Write a V8 CPU profile of each measured window (not start-up, not warm-up) into this directory. */
  profileDir?: string;
}

export interface RunCommand {
  type: 'run';
  /** Unmeasured closed loop first, to warm JIT and connections, in ms. */
  warmupMs: number;
  /** Measured window, in ms (ignored when `requests` is set). */
  durationMs: number;
  /** Measure exactly this many requests instead of a time window. */
  requests?: number;
  /** 1-based round number (names the profile file). */
  round: number;
}

export type WorkerCommand = RunCommand | { type: 'close' };

export interface MeasureResult {
  type: 'result';
  client: ClientId;
  requests: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** User + system CPU time of this process per 1,000 requests, in ms. */
  cpuMsPer1k: number;
  /** Peak resident set size of this process so far, in MiB. */
  peakRssMiB: number;
}

export type WorkerMessage = { type: 'ready' } | { type: 'failed'; message: string } | MeasureResult;

interface LoopOutcome {
  requests: number;
  errors: number;
  firstError?: string;
  latencies: Float64Array;
}

/** Runs `concurrency` closed-loop workers until the deadline or until `limit` requests started. */
async function closedLoop(client: BenchClient, concurrency: number, deadline: number, limit: number, record: boolean): Promise<LoopOutcome> {
  let started = 0;
  let done = 0;
  let errors = 0;
  let firstError: string | undefined;
  let latencies = new Float64Array(record ? 65_536 : 0);
  const loop = async (): Promise<void> => {
    while (started < limit && performance.now() < deadline) {
      started += 1;
      const t0 = performance.now();
      try {
        await client.invoke();
      } catch (err) {
        errors += 1;
        firstError ??= err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        continue;
      }
      if (record) {
        if (done === latencies.length) {
          const grown = new Float64Array(latencies.length * 2);
          grown.set(latencies);
          latencies = grown;
        }
        latencies[done] = performance.now() - t0;
      }
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const outcome: LoopOutcome = { requests: done, errors, latencies: latencies.subarray(0, record ? done : 0) };
  if (firstError !== undefined) outcome.firstError = firstError;
  return outcome;
}

/** The same V8 sampling profiler as `node --cpu-prof`, started and stopped around one window. */
async function startProfile(init: WorkerInit, round: number): Promise<(requests: number) => Promise<void>> {
  if (init.profileDir === undefined) return async () => undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return async (requests) => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    const name = join(init.profileDir!, `${init.client}-${init.bodyBytes}-c${init.concurrency}-r${round}`);
    writeFileSync(`${name}.cpuprofile`, JSON.stringify(profile));
    // How many requests the window completed, so bench/profile.ts can show µs per request.
    writeFileSync(`${name}.requests.json`, JSON.stringify({ requests }));
  };
}

async function measure(client: BenchClient, init: WorkerInit, command: RunCommand): Promise<MeasureResult> {
  if (command.warmupMs > 0) await closedLoop(client, init.concurrency, performance.now() + command.warmupMs, Infinity, false);
  const stopProfile = await startProfile(init, command.round);
  const limit = command.requests ?? Infinity;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = command.requests === undefined ? t0 + command.durationMs : Infinity;
  const outcome = await closedLoop(client, init.concurrency, deadline, limit, true);
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await stopProfile(outcome.requests);
  const sorted = outcome.latencies.sort();
  const result: MeasureResult = {
    type: 'result',
    client: init.client,
    requests: outcome.requests,
    errors: outcome.errors,
    elapsedMs,
    requestsPerSecond: outcome.requests / (elapsedMs / 1000),
    p50Ms: percentileSorted(sorted, 50),
    p99Ms: percentileSorted(sorted, 99),
    cpuMsPer1k: outcome.requests > 0 ? ((cpu.user + cpu.system) / 1000 / outcome.requests) * 1000 : Number.NaN,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  if (outcome.firstError !== undefined) result.firstError = outcome.firstError;
  return result;
}

async function main(): Promise<void> {
  const init = JSON.parse(process.argv[2] ?? '{}') as WorkerInit;
  const send = (message: WorkerMessage): void => { process.send?.(message); };
  let client: BenchClient;
  try {
    const mod = require(clientInfo(init.client).module.replace('./', './clients/')) as { createClient: BenchClientFactory };
    client = await mod.createClient({ url: init.url, endpointName: init.endpointName, concurrency: init.concurrency, body: makeBody(init.bodyBytes) });
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    process.disconnect?.();
    return;
  }
  send({ type: 'ready' });
  // The parent went away (or told us to close): nothing else keeps this process useful.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (command: WorkerCommand) => {
    if (command.type === 'close') {
      void client.close().finally(() => process.disconnect?.());
      return;
    }
    measure(client, init, command).then(send, (err: unknown) => send({ type: 'failed', message: String(err) }));
  });
}

void main();
