/** What the pipeline workers report to `run.ts`. */

/** `invokeEach` over a lazy source of small records at concurrency 64. */
export interface InvokeEachResult {
  type: 'invoke-each';
  /** `pulled`: the generator is pulled as results arrive; `push`: `from(generator)`. */
  source: 'pulled' | 'push';
  records: number;
  results: number;
  errors: number;
  firstError?: string;
  concurrency: number;
  elapsedMs: number;
  recordsPerSecond: number;
  /** RSS when 10 %, 50 % and 100 % of the results had arrived, in MiB. */
  rssMiBAt: { p10: number; p50: number; p100: number };
  peakRssMiB: number;
}

/** The same records at a fixed model latency, one invocation each or in batches. */
export interface BatchingResult {
  type: 'batching';
  /** 1 = unbatched (`invokeEach`); otherwise `batchInvocations` with this `maxBatchSize`. */
  batchSize: number;
  records: number;
  results: number;
  errors: number;
  firstError?: string;
  concurrency: number;
  latencyMs: number;
  elapsedMs: number;
  recordsPerSecond: number;
  peakRssMiB: number;
}

/** A benchmark that could not run yet (its operator is not in the library). */
export interface PipelinePending {
  type: 'pending';
  name: string;
  reason: string;
}

export type PipelineMessage = InvokeEachResult | BatchingResult | PipelinePending;
