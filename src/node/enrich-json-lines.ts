/**
 * An enrichment run over Node streams: JSON Lines in, enriched lines out, failures to an errors
 * stream, memory bounded whatever the input size, and the run's counters back.
 */
import type { Readable, Writable } from 'node:stream';
import { isCircuitOpenError, type CircuitOpenError } from './circuit-breaker.js';
import type { EnrichOutcome } from './enrich-record.js';
import { enrichRecords, type EnrichRecordsOptions } from './enrich-records.js';
import { createEnrichStats, type EnrichStats } from './enrich-stats.js';
import { jsonLinesRecords, type JsonLineMeta } from './json-lines-source.js';
import { OutcomeWriter } from './outcome-writer.js';
import { pullFrom } from './pull-from.js';

/** Options of `enrichJsonLines`: those of `enrichRecords`, and the streams. */
export interface EnrichJsonLinesOptions extends Omit<EnrichRecordsOptions<JsonLineMeta>, 'errorContext' | 'stats'> {
  /** JSON Lines to read (a file, stdin, a socket). */
  input: Readable;
  /** Where enriched lines go. Not ended by the run. */
  output: Writable;
  /**
   * Where error lines go: `{"line":12,"error":{…},"record":<the line verbatim>}`. Not ended by the
   * run. Without it, failures reach only `onOutcome`.
   */
  errors?: Writable;
  /** Read at most this many non-blank lines. @default all */
  maxRecords?: number;
  /** Records a previous run already wrote (`readResumePoint(...).isDone`): read, counted as skipped, not sent. */
  skip?: (record: { line: string; meta: JsonLineMeta }) => boolean;
  /** Records read but not yet written, at most. @default max(256, 4 × concurrency × batchSize) */
  maxInFlight?: number;
  /** Aborting stops reading, aborts in-flight invocations and resolves with `stopped: 'aborted'`. */
  signal?: AbortSignal;
  /** Counters to fill as the run goes (for a progress display). @default fresh ones */
  stats?: EnrichStats;
  /** Called with each outcome, after it is queued for writing. */
  onOutcome?: (outcome: EnrichOutcome<JsonLineMeta>) => void;
}

/** How a run ended. */
export interface EnrichJsonLinesResult {
  stats: EnrichStats;
  /** Absent when every record read was written; else why the run stopped early. */
  stopped?: 'aborted' | 'circuit-open';
  /** The breaker's error, when `stopped` is `circuit-open`. */
  circuit?: CircuitOpenError;
}

const MIN_IN_FLIGHT = 256;
const IN_FLIGHT_PER_SLOT = 4;

/**
 * Runs an enrichment over JSON Lines streams and resolves with its counters once every record
 * read has been written to one of the two outputs (or the run stopped: `signal` aborted, or the
 * circuit breaker opened — then the records in flight are not written, and `resume` redoes them).
 * Lines are read only as fast as outcomes are written (`pullFrom` + the streams' back-pressure).
 * The streams are neither opened nor ended here: the caller owns them. Rejects on a defect or a
 * write error.
 *
 * @example
 * ```ts
 * import { createReadStream, createWriteStream } from 'node:fs';
 * import { SageMakerRuntime } from 'sagemaker-rx';
 * import { enrichJsonLines } from 'sagemaker-rx/node';
 *
 * const client = new SageMakerRuntime({ region: 'eu-west-1' });
 * const output = createWriteStream('enriched.jsonl');
 * const { stats, stopped } = await enrichJsonLines({
 *   client, endpointName: 'reviews', field: 'text', as: 'sentiment', batchSize: 16, codec: 'jsonl', adaptive: 'concurrency',
 *   input: createReadStream('reviews.jsonl'), output, errors: createWriteStream('failed.jsonl'),
 * });
 * output.end();
 * console.log(stats.ok, stats.failed, stopped); // 2397 3 undefined
 * ```
 */
export async function enrichJsonLines(options: EnrichJsonLinesOptions): Promise<EnrichJsonLinesResult> {
  const { input, output, errors, maxRecords, skip, signal, onOutcome, ...rest } = options;
  const stats = options.stats ?? createEnrichStats();
  const concurrency = rest.concurrency ?? 8;
  const batchSize = rest.batchSize ?? 1;
  const maxInFlight = options.maxInFlight ?? Math.max(MIN_IN_FLIGHT, IN_FLIGHT_PER_SLOT * concurrency * batchSize);
  const operator = enrichRecords<JsonLineMeta>({ ...rest, stats, errorContext: (meta) => ({ line: meta.line }) });
  const writer = new OutcomeWriter<JsonLineMeta>(output, errors);
  if (signal?.aborted) return { stats, stopped: 'aborted' };

  const records = jsonLinesRecords(input, {
    ...(maxRecords !== undefined ? { maxRecords } : {}),
    ...(skip ? { skip } : {}),
    onRead: (skipped) => {
      stats.read++;
      if (skipped) stats.skipped++;
    },
  });
  const result = await new Promise<EnrichJsonLinesResult>((resolve, reject) => {
    const onAbort = () => {
      subscription.unsubscribe();
      resolve({ stats, stopped: 'aborted' });
    };
    const subscription = pullFrom(records, operator, { maxInFlight, ready: () => writer.idle() }).subscribe({
      next: (outcome) => {
        writer.write(outcome);
        onOutcome?.(outcome);
      },
      error: (err: unknown) => {
        signal?.removeEventListener('abort', onAbort);
        if (isCircuitOpenError(err)) resolve({ stats, stopped: 'circuit-open', circuit: err });
        else reject(err);
      },
      complete: () => {
        signal?.removeEventListener('abort', onAbort);
        resolve({ stats });
      },
    });
    if (!subscription.closed) signal?.addEventListener('abort', onAbort, { once: true });
  });
  await writer.idle();
  return result;
}
