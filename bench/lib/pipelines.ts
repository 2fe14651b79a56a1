/**
 * The two pipeline benchmarks, each in its own worker process against its own server process:
 * `invokeEach` over many small records (latency 0), and unbatched vs batched at 20 ms latency.
 */
import { join } from 'node:path';
import type { BatchingResult, InvokeEachResult, PipelineMessage, PipelinePending } from '../pipeline/pipeline-result.js';
import type { BenchOptions } from './args.js';
import { forkTs, nextMessage, waitForExit } from './child.js';
import { startServerProcess } from './server-process.js';

export const PIPELINE_CONCURRENCY = 64;
export const BATCH_SIZE = 32;
export const BATCH_LATENCY_MS = 20;
/**
 * The push-source comparison stops here: `mergeMap` buffers a push source's excess in an array it
 * `shift()`s, which costs O(buffer) per item once the buffer is large (V8 cannot trim arrays in
 * its large-object space), so 1,000,000 pushed records take tens of minutes.
 */
export const PUSH_RECORDS_CAP = 300_000;
/** Records of the unmeasured warm-up pass of each pipeline worker: 10 %, at most 2,000. */
const warmupRecords = (records: number): number => Math.min(2000, Math.ceil(records / 10));

export interface PipelineResults {
  /** From a pulled generator: the RSS target's run. */
  invokeEach?: InvokeEachResult;
  /** From `from(generator)`, for comparison: what a push source costs in memory. */
  invokeEachPush?: InvokeEachResult;
  batching?: { unbatched: BatchingResult; batched: BatchingResult };
  pending: PipelinePending[];
}

type Log = (line: string) => void;

async function runWorker(file: string, args: object, execArgv: string[]): Promise<PipelineMessage> {
  const child = forkTs(join(__dirname, '..', 'pipeline', file), [JSON.stringify(args)], { execArgv });
  try {
    return await nextMessage<PipelineMessage>(child, file, 1_800_000);
  } finally {
    if (child.connected) child.disconnect();
    await waitForExit(child, 10_000);
  }
}

function profileArgs(options: BenchOptions, name: string): string[] {
  return options.profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=${name}.cpuprofile`];
}

export async function runPipelines(options: BenchOptions, log: Log): Promise<PipelineResults> {
  const results: PipelineResults = { pending: [] };
  if (options.invokeEachRecords > 0) {
    const server = await startServerProcess(0);
    try {
      for (const source of options.invokeEachPush ? (['pulled', 'push'] as const) : (['pulled'] as const)) {
        const records = source === 'push' ? Math.min(options.invokeEachRecords, PUSH_RECORDS_CAP) : options.invokeEachRecords;
        log(`invokeEach: ${records.toLocaleString('en-US')} records, concurrency ${PIPELINE_CONCURRENCY}, ${source} source`);
        const init = { url: server.url, records, concurrency: PIPELINE_CONCURRENCY, source, warmupRecords: warmupRecords(records) };
        const m = await runWorker('invoke-each.ts', init, profileArgs(options, `invoke-each-${source}`));
        if (m.type === 'pending') {
          results.pending.push(m);
          log(`  pending: ${m.reason}`);
          break;
        }
        if (m.type !== 'invoke-each') continue;
        if (source === 'pulled') results.invokeEach = m;
        else results.invokeEachPush = m;
        log(`  ${m.recordsPerSecond.toFixed(0)} records/s, peak RSS ${m.peakRssMiB.toFixed(0)} MiB, ${m.errors} errors`);
      }
    } finally {
      await server.stop();
    }
  }
  if (options.batchingRecords > 0) {
    const server = await startServerProcess(BATCH_LATENCY_MS);
    try {
      const measured: BatchingResult[] = [];
      for (const batchSize of [1, BATCH_SIZE]) {
        log(`batching: ${options.batchingRecords.toLocaleString('en-US')} records at ${BATCH_LATENCY_MS} ms, batch size ${batchSize}`);
        const init = { url: server.url, records: options.batchingRecords, concurrency: PIPELINE_CONCURRENCY, batchSize, latencyMs: BATCH_LATENCY_MS, warmupRecords: warmupRecords(options.batchingRecords) };
        const m = await runWorker('batching.ts', init, profileArgs(options, `batching-${batchSize}`));
        if (m.type === 'batching') {
          measured.push(m);
          log(`  ${m.recordsPerSecond.toFixed(0)} records/s, ${m.errors} errors`);
        } else if (m.type === 'pending') {
          results.pending.push(m);
          log(`  pending: ${m.reason}`);
          break;
        }
      }
      if (measured.length === 2) results.batching = { unbatched: measured[0]!, batched: measured[1]! };
    } finally {
      await server.stop();
    }
  }
  return results;
}
