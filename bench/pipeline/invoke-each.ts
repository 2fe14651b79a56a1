/**
 * Pipeline benchmark 1, in its own process: `records` small records from a generator through
 * `invokeEach` at `concurrency`, against a latency-0 bench server. Reports records/s, RSS at
 * 10 %, 50 % and 100 % of the results, and the peak RSS. The source is pulled (`pulledSource`,
 * window 2 × concurrency) or, with `source: 'push'`, `from(generator)` as a naive user writes it.
 * An unmeasured warm-up pass over `warmupRecords` records comes first (JIT, connections).
 */
import { from, type Observable } from 'rxjs';
import type { invokeEach as InvokeEach } from '../../src/operators/pipelines/invoke-each.js';
import { BENCH_CONTENT_TYPE } from '../clients/bench-client.js';
import { requireExports } from '../lib/library.js';
import { createRxClient } from '../lib/rx-client.js';
import type { InvokeEachResult, PipelineMessage } from './pipeline-result.js';
import { pulledSource } from './pulled-source.js';
import { records, type BenchRecord } from './records.js';

export interface InvokeEachInit {
  url: string;
  records: number;
  concurrency: number;
  source: 'pulled' | 'push';
  warmupRecords: number;
}

const ENDPOINT_NAME = 'bench-pipeline';
const rssMiB = (): number => process.memoryUsage.rss() / 1024 / 1024;

async function main(): Promise<PipelineMessage> {
  const init = JSON.parse(process.argv[2] ?? '{}') as InvokeEachInit;
  const name = `invokeEach (${init.source} source)`;
  const lib = requireExports(['invokeEach']);
  if (!lib.ok) return { type: 'pending', name, reason: lib.reason };
  const built = createRxClient(init.url, init.concurrency);
  if (!built.ok) return { type: 'pending', name, reason: built.reason };
  const invokeEach = lib.exports.invokeEach as typeof InvokeEach;
  const client = built.client;

  const toInput = (r: BenchRecord) => ({ EndpointName: ENDPOINT_NAME, Body: JSON.stringify(r), ContentType: BENCH_CONTENT_TYPE });

  /** Runs `count` records through `invokeEach`; samples RSS when 10 %, 50 % and 100 % of the results are in. */
  const drive = (count: number) => new Promise<{ results: number; errors: number; firstError?: string; rssAt: number[]; elapsedMs: number }>((resolve, reject) => {
    const pulled = pulledSource(records(count), init.concurrency * 2);
    const source: Observable<BenchRecord> = init.source === 'pulled' ? pulled.source : from(records(count));
    const checkpoints = [0.1, 0.5, 1].map((f) => Math.max(1, Math.ceil(count * f)));
    const out: { results: number; errors: number; firstError?: string; rssAt: number[]; elapsedMs: number } = { results: 0, errors: 0, rssAt: [], elapsedMs: 0 };
    const t0 = performance.now();
    source.pipe(invokeEach(client, toInput, { concurrency: init.concurrency })).subscribe({
      next: (r) => {
        out.results += 1;
        if (r.error) { out.errors += 1; out.firstError ??= `${r.error.name}: ${r.error.message}`; }
        if (out.results === checkpoints[out.rssAt.length]) out.rssAt.push(rssMiB());
        pulled.release();
      },
      error: reject,
      complete: () => { out.elapsedMs = performance.now() - t0; resolve(out); },
    });
  });

  if (init.warmupRecords > 0) await drive(init.warmupRecords);
  const { results, errors, firstError, rssAt, elapsedMs } = await drive(init.records);
  await client.destroy();
  const result: InvokeEachResult = {
    type: 'invoke-each',
    source: init.source,
    records: init.records,
    results,
    errors,
    concurrency: init.concurrency,
    elapsedMs,
    recordsPerSecond: results / (elapsedMs / 1000),
    rssMiBAt: { p10: rssAt[0] ?? Number.NaN, p50: rssAt[1] ?? Number.NaN, p100: rssAt[2] ?? Number.NaN },
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  if (firstError !== undefined) result.firstError = firstError;
  return result;
}

main().then(
  (message) => { process.send?.(message); process.disconnect?.(); },
  (err: unknown) => { process.stderr.write(`invoke-each worker: ${err instanceof Error ? err.stack : String(err)}\n`); process.exit(1); },
);
