/**
 * Pipeline benchmark 2, in its own process: `records` small records against a bench server with
 * a fixed model latency, either one invocation per record (`invokeEach`, batchSize 1) or packed
 * by `batchInvocations` (JSON array codec, `maxBatchSize` = batchSize), both at `concurrency`
 * invocations in flight and from a pulled generator source. An unmeasured warm-up pass over
 * `warmupRecords` records comes first (JIT, connections).
 */
import type { OperatorFunction } from 'rxjs';
import type { batchInvocations as BatchInvocations } from '../../src/operators/pipelines/batch-invocations.js';
import type { BatchResult, InvocationResult } from '../../src/operators/pipelines/invocation-result.js';
import type { invokeEach as InvokeEach } from '../../src/operators/pipelines/invoke-each.js';
import { BENCH_CONTENT_TYPE } from '../clients/bench-client.js';
import { requireExports } from '../lib/library.js';
import { createRxClient } from '../lib/rx-client.js';
import type { BatchingResult, PipelineMessage } from './pipeline-result.js';
import { pulledSource } from './pulled-source.js';
import { records, type BenchRecord } from './records.js';

export interface BatchingInit {
  url: string;
  records: number;
  concurrency: number;
  batchSize: number;
  latencyMs: number;
  warmupRecords: number;
}

const ENDPOINT_NAME = 'bench-batching';

async function main(): Promise<PipelineMessage> {
  const init = JSON.parse(process.argv[2] ?? '{}') as BatchingInit;
  const batched = init.batchSize > 1;
  const name = batched ? `batchInvocations (batches of ${init.batchSize})` : 'unbatched invokeEach';
  const lib = requireExports(batched ? ['batchInvocations'] : ['invokeEach']);
  if (!lib.ok) return { type: 'pending', name, reason: lib.reason };
  const built = createRxClient(init.url, init.concurrency);
  if (!built.ok) return { type: 'pending', name, reason: built.reason };
  const client = built.client;

  const operator: OperatorFunction<BenchRecord, InvocationResult<BenchRecord> | BatchResult<BenchRecord>> = batched
    ? (lib.exports as { batchInvocations: typeof BatchInvocations }).batchInvocations<BenchRecord>(client, {
        endpointName: ENDPOINT_NAME, maxBatchSize: init.batchSize, concurrency: init.concurrency, codec: 'json',
      })
    : (lib.exports as { invokeEach: typeof InvokeEach }).invokeEach<BenchRecord>(client,
        (r) => ({ EndpointName: ENDPOINT_NAME, Body: JSON.stringify(r), ContentType: BENCH_CONTENT_TYPE }), { concurrency: init.concurrency });

  /** Runs `count` records through the operator. */
  const drive = (count: number) => new Promise<{ results: number; errors: number; firstError?: string; elapsedMs: number }>((resolve, reject) => {
    // Enough records out for every slot to carry a full batch, and the next batches to be packing.
    const pulled = pulledSource(records(count), init.concurrency * init.batchSize * 2);
    const out: { results: number; errors: number; firstError?: string; elapsedMs: number } = { results: 0, errors: 0, elapsedMs: 0 };
    const t0 = performance.now();
    pulled.source.pipe(operator).subscribe({
      next: (r) => {
        out.results += 1;
        if (r.error) { out.errors += 1; out.firstError ??= `${r.error.name}: ${r.error.message}`; }
        pulled.release();
      },
      error: reject,
      complete: () => { out.elapsedMs = performance.now() - t0; resolve(out); },
    });
  });

  if (init.warmupRecords > 0) await drive(init.warmupRecords);
  const { results, errors, firstError, elapsedMs } = await drive(init.records);
  await client.destroy();
  const result: BatchingResult = {
    type: 'batching',
    batchSize: init.batchSize,
    records: init.records,
    results,
    errors,
    concurrency: init.concurrency,
    latencyMs: init.latencyMs,
    elapsedMs,
    recordsPerSecond: results / (elapsedMs / 1000),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  if (firstError !== undefined) result.firstError = firstError;
  return result;
}

main().then(
  (message) => { process.send?.(message); process.disconnect?.(); },
  (err: unknown) => { process.stderr.write(`batching worker: ${err instanceof Error ? err.stack : String(err)}\n`); process.exit(1); },
);
