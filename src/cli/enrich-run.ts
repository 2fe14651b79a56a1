/**
 * The enrichment run behind `enrich` and `demo`: JSON Lines in, each record sent to an endpoint
 * (one invocation per record with `invokeEach`, or packed with `batchInvocations`), each record
 * out exactly once — enriched on the output, or failed on the errors sink — with the input read
 * only as fast as results are written.
 */
import type { Readable } from 'node:stream';
import { defer, EMPTY, ignoreElements, mergeMap, of, take, tap, type Observable } from 'rxjs';
import type { EndpointInvoker } from '../events/invoker.js';
import { InvalidRequestError } from '../errors/client-errors.js';
import {
  batchInvocations,
  invokeEach,
  isInvocationSuccess,
  type Limiter,
  type RetryInvocationConfig,
} from '../index.js';
import { CreditGate } from './credit-gate.js';
import { countingInvoker } from './counting-invoker.js';
import { errorLine, errorToJson, type ErrorJson } from './error-report.js';
import { readLines$, type JsonLinesWriter } from './json-lines.js';
import { bodyOf, decodeAnswer, defaultContentType, enrichedRecord, payloadOf } from './record-answer.js';
import type { RunStats } from './run-stats.js';

/** The built-in batch codecs `enrich --codec` offers. */
export const BATCH_CODECS = ['json', 'jsonl', 'csv'] as const;
/** One of the built-in batch codec names. */
export type BatchCodecName = (typeof BATCH_CODECS)[number];

/** What one enrichment run needs. */
export interface EnrichRunConfig {
  client: EndpointInvoker;
  endpointName: string;
  /** JSON Lines to read. */
  input: Readable;
  /** Where enriched records go. */
  output: JsonLinesWriter;
  /** Where failed records go (`{ line, record, error }`); when absent each failure is reported on stderr instead. */
  errors?: JsonLinesWriter;
  /** The member of each record to send; the whole record when absent. */
  field?: string;
  /** The member the answer is written under. */
  as: string;
  /** ContentType of each invocation (single-record mode); default text/plain for strings, application/json otherwise. */
  contentType?: string;
  accept?: string;
  /** Keep input order on the output. */
  ordered: boolean;
  /** Invocations in flight at once. */
  concurrency: number;
  /** Records per invocation; 1 uses `invokeEach`, more uses `batchInvocations`. */
  batchSize: number;
  /** How long a partial batch waits for more records, in ms. */
  batchWaitMs?: number;
  codec: BatchCodecName;
  retry?: RetryInvocationConfig;
  /** Deadline of each attempt, in ms. */
  timeoutMs?: number;
  limiter?: Limiter;
  /** Bisect a failing batch so only the poison record fails. */
  splitOnFailure?: boolean;
  /** Read at most this many non-blank lines. @default all */
  maxRecords?: number;
  /** The counters to fill. */
  stats: RunStats;
  /** Prints a message on stderr (progress-aware). */
  report(message: string): void;
  /** Called with each record written to the output and its answer (the demo counts labels with it). */
  onEnriched?(record: unknown, answer: unknown): void;
}

/** One line of the errors file. */
export interface ErrorsFileLine {
  /** The 1-based input line number. */
  line: number;
  /** The parsed record, or null when the line was not JSON. */
  record: unknown;
  /** The line as read, for a line that was not JSON. */
  raw?: string;
  error: ErrorJson;
}

/** Records held between reading and writing, per unit of concurrency and batch size. */
const CREDITS_PER_SLOT = 4;
const MIN_CREDITS = 64;

/**
 * The run as a cold Observable: subscribing starts reading; it completes when every record read
 * has been written to one of the two outputs; unsubscribing stops reading and aborts in-flight
 * invocations. Emits nothing; the results are in the outputs and `stats`.
 */
export function enrichRecords$(config: EnrichRunConfig): Observable<never> {
  return defer(() => {
    const { stats, output, errors, field, as, report } = config;
    const invoker = countingInvoker(config.client, stats);
    const gate = new CreditGate(Math.max(MIN_CREDITS, config.concurrency * config.batchSize * CREDITS_PER_SLOT));
    /** Records in the pipeline by the index the operators give them. */
    const pending = new Map<number, { line: number; record: unknown }>();
    let nextIndex = 0;

    const pace = async (): Promise<void> => {
      await gate.take();
      await output.ready();
      await errors?.ready();
    };

    const fail = (entry: ErrorsFileLine): void => {
      stats.failed++;
      if (errors) errors.write(entry);
      else report(`line ${entry.line}: ${errorLine(entry.error)}`);
      gate.release();
    };

    const succeed = (record: unknown, answer: unknown): void => {
      stats.ok++;
      output.write(enrichedRecord(record, as, answer));
      config.onEnriched?.(record, answer);
      gate.release();
    };

    /** Parses a line; a line that is not JSON or lacks the field is failed here, never sent. */
    const toPayload = ({ line, text }: { line: number; text: string }): Observable<unknown> => {
      stats.read++;
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch (err) {
        stats.malformed++;
        const message = (err as Error).message;
        if (errors) report(`line ${line}: malformed JSON, skipped (${message})`);
        fail({ line, record: null, raw: text, error: { name: 'SyntaxError', message, retryable: false, $metadata: {} } });
        return EMPTY;
      }
      let payload: unknown;
      try {
        payload = payloadOf(record, field);
      } catch (err) {
        fail({ line, record, error: errorToJson(new InvalidRequestError({ member: 'field', rule: (err as Error).message })) });
        return EMPTY;
      }
      pending.set(nextIndex++, { line, record });
      return of(payload);
    };

    const settle = (index: number): { line: number; record: unknown } => {
      const entry = pending.get(index);
      if (!entry) throw new Error(`enrich: a result arrived for unknown index ${index}`);
      pending.delete(index);
      return entry;
    };

    const lines$ = readLines$(config.input, pace);
    const payloads$ = (config.maxRecords === undefined ? lines$ : lines$.pipe(take(config.maxRecords))).pipe(mergeMap(toPayload));
    const common = {
      concurrency: config.concurrency,
      ordered: config.ordered,
      ...(config.retry ? { retry: config.retry } : {}),
      ...(config.timeoutMs !== undefined ? { timeout: config.timeoutMs } : {}),
      ...(config.limiter ? { limiter: config.limiter } : {}),
    };

    const results$: Observable<void> =
      config.batchSize > 1
        ? payloads$.pipe(
            batchInvocations(invoker, {
              ...common,
              endpointName: config.endpointName,
              maxBatchSize: config.batchSize,
              codec: config.codec,
              ...(config.batchWaitMs !== undefined ? { maxWaitMs: config.batchWaitMs } : {}),
              ...(config.splitOnFailure ? { splitOnFailure: true } : {}),
              ...(config.accept !== undefined || config.contentType !== undefined
                ? {
                    toRequest: () => ({
                      ...(config.contentType !== undefined ? { ContentType: config.contentType } : {}),
                      ...(config.accept !== undefined ? { Accept: config.accept } : {}),
                    }),
                  }
                : {}),
            }),
            tap((result) => {
              const { line, record } = settle(result.index);
              if (isInvocationSuccess(result)) succeed(record, result.output);
              else fail({ line, record, error: errorToJson(result.error) });
            }),
            ignoreElements(),
          )
        : payloads$.pipe(
            invokeEach(
              invoker,
              (payload: unknown) => ({
                EndpointName: config.endpointName,
                Body: bodyOf(payload),
                ContentType: config.contentType ?? defaultContentType(payload),
                ...(config.accept !== undefined ? { Accept: config.accept } : {}),
              }),
              common,
            ),
            tap((result) => {
              const { line, record } = settle(result.index);
              if (isInvocationSuccess(result)) succeed(record, decodeAnswer(result.output));
              else fail({ line, record, error: errorToJson(result.error) });
            }),
            ignoreElements(),
          );
    return results$ as Observable<never>;
  });
}
