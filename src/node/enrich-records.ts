/**
 * The transport-independent core of an enrichment run: records in, exactly one outcome per record
 * out, the answer spliced into each record's own text, a circuit breaker that ends a job no record
 * of which can succeed.
 */
import { Observable, Subject, type OperatorFunction, type Subscription } from 'rxjs';
import {
  batchInvocations,
  InvalidRequestError,
  invokeEach,
  type Codec,
  type CodecName,
  type EndpointInvoker,
  type Limiter,
  type RetryInvocationConfig,
  type SageMakerRuntimeError,
} from '../index.js';
import { adaptiveLimiter } from './adaptive-limiter.js';
import { ADAPTIVE_MODES, DEFAULT_ENRICH_CONCURRENCY, type AdaptiveMode } from './enrich-defaults.js';
import { CircuitBreaker, type CircuitBreakerConfig } from './circuit-breaker.js';
import { countingInvoker } from './counting-invoker.js';
import type { EnrichOutcome, EnrichRecord } from './enrich-record.js';
import type { EnrichStats } from './enrich-stats.js';
import { errorToJson } from './error-json.js';
import { formatFieldPath, isPlainObject, parseFieldPath, type FieldPath } from './field-path.js';
import { answerText, mapCodec, payloadCodec, payloadOf, singleBody, valueCodec, valueText, type RecordPayload } from './record-payload.js';
import { spliceAnswer } from './splice-answer.js';

/** Options of `enrichRecords`. */
export interface EnrichRecordsOptions<M = unknown> {
  /** The client (`SageMakerRuntime`, or any `EndpointInvoker`). */
  client: EndpointInvoker;
  endpointName: string;
  /** The member sent to the model, as a path (`text`, `review.body`); the whole record when absent. */
  field?: string;
  /** Where the answer is added, as a path (`prediction`, `ml.sentiment`). @default 'prediction' */
  as?: string;
  /** Records per invocation: 1 sends each record alone (`invokeEach`), more packs them (`batchInvocations`). @default 1 record */
  batchSize?: number;
  /** How long a partial batch waits for more records. @default 50 ms */
  maxWaitMs?: number;
  /** How a batch is encoded: `json` (array), `jsonl`, `csv`, or a codec over the payload values. @default 'json' */
  codec?: CodecName | Codec<unknown, unknown>;
  /** Bisect a batch that fails with a non-retryable error so only the record at fault fails. @default false */
  splitOnFailure?: boolean;
  /** `ContentType` of each invocation (overrides the default: text/plain for a string payload, else application/json, or the codec's). */
  contentType?: string;
  /** `Accept` of each invocation. */
  accept?: string;
  /** Invocations (records, or batches) in flight at once. @default 8 invocations */
  concurrency?: number;
  /** Emit outcomes in input order (later ones wait for earlier ones). @default true */
  ordered?: boolean;
  /** Retry retryable failures (`retryInvocation`): `true` for its defaults, or its config. @default { maxAttempts: 3 } */
  retry?: boolean | RetryInvocationConfig;
  /** Deadline of each attempt, retried when `retry` allows. @default none */
  timeoutMs?: number;
  /** A limiter shared with other pipelines (`createLimiter`). Not with `adaptive`. */
  limiter?: Limiter;
  /** Adapt to throttling: `concurrency` (AIMD on calls in flight), `rate` (CUBIC on the rate) or `both`. Not with `limiter`. @default off */
  adaptive?: AdaptiveMode;
  /** The fail-fast breaker; `false` turns it off. @default { maxConsecutiveFailures: 20 } */
  breaker?: false | CircuitBreakerConfig;
  /** Members put first in each error line (e.g. `{ line: 12 }` from the record's handle). */
  errorContext?: (meta: M) => Record<string, unknown>;
  /** Counters to fill (invocations, attempts, retries, throttles, ok, failed, malformed). */
  stats?: EnrichStats;
}

export { DEFAULT_ENRICH_CONCURRENCY };
/** Default `as` of `enrichRecords`. */
export const DEFAULT_ENRICH_AS = 'prediction';
/** Default retries of `enrichRecords`: 3 attempts. */
export const DEFAULT_ENRICH_RETRY: RetryInvocationConfig = { maxAttempts: 3 };

/** A record ready to send. */
interface Prepared<M> {
  readonly seq: number;
  readonly record: EnrichRecord<M>;
  readonly line: string;
  readonly parsed: unknown;
  readonly payload: RecordPayload;
}

const BOM = 0xfeff;

/**
 * Enriches each record with the endpoint's answer and emits exactly one outcome per record:
 * `enriched` (the input text byte for byte with the answer spliced in under `as`), `failed` (the
 * invocation failed after retries, or `field` is missing) or `malformed` (not JSON; nothing sent).
 *
 * Records are sent one per invocation (`batchSize` 1, `invokeEach`) or packed (`batchInvocations`
 * with the `codec`). At most `concurrency` invocations are in flight; `ordered` (the default)
 * emits outcomes in input order. Failures are values; the error channel carries only defects and
 * `CircuitOpenError`: when `maxConsecutiveFailures` outcomes in a row fail with the same cause
 * that no retry fixes (endpoint not found, access denied, bad credentials or signature, requests
 * refused as invalid), the failed outcomes are emitted, then the operator errors with a
 * `CircuitOpenError` carrying the cause and a hint, and the in-flight invocations are aborted
 * (their records get no outcome). Per-record failures such as `ModelError` never count.
 *
 * RxJS sources push: to keep memory flat, feed it from a pulling source (`pullFrom`), which asks
 * for the next record only as outcomes come out. Unsubscribing aborts in-flight invocations.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { SageMakerRuntime } from 'sagemaker-rx';
 * import { enrichRecords } from 'sagemaker-rx/node';
 *
 * const client = new SageMakerRuntime({ region: 'eu-west-1' });
 * from([{ line: '{"id":12345678901234567891,"text":"great"}', meta: 1 }])
 *   .pipe(enrichRecords({ client, endpointName: 'sentiment', field: 'text', as: 'sentiment' }))
 *   .subscribe((o) => console.log(o.kind === 'enriched' ? o.line : o.errorLine));
 * // {"id":12345678901234567891,"text":"great","sentiment":{"label":"POSITIVE","score":0.98}}
 * ```
 */
export function enrichRecords<M = unknown>(options: EnrichRecordsOptions<M>): OperatorFunction<EnrichRecord<M>, EnrichOutcome<M>> {
  if (options === null || typeof options !== 'object') throw new TypeError('enrichRecords: options must be an object');
  const { client, endpointName, batchSize = 1, concurrency = DEFAULT_ENRICH_CONCURRENCY, ordered = true, stats } = options;
  if (typeof client?.invokeEndpoint$ !== 'function') throw new TypeError('enrichRecords: client must have an invokeEndpoint$(input) method');
  if (typeof endpointName !== 'string' || endpointName === '') throw new TypeError('enrichRecords: endpointName must be a non-empty string');
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`enrichRecords: batchSize must be a positive integer, got ${batchSize}`);
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError(`enrichRecords: concurrency must be a positive integer, got ${concurrency}`);
  if (options.limiter && options.adaptive) throw new TypeError('enrichRecords: give either limiter or adaptive, not both');
  if (options.adaptive !== undefined && !(ADAPTIVE_MODES as readonly string[]).includes(options.adaptive)) {
    throw new RangeError(`enrichRecords: adaptive must be one of ${ADAPTIVE_MODES.join(', ')}, got ${String(options.adaptive)}`);
  }
  const field = options.field === undefined ? undefined : parseFieldPath(options.field, 'enrichRecords: field');
  const as = parseFieldPath(options.as ?? DEFAULT_ENRICH_AS, 'enrichRecords: as');
  const codec = batchSize > 1 ? (typeof options.codec === 'object' ? valueCodec(options.codec) : payloadCodec(options.codec ?? 'json')) : undefined;
  const retry = options.retry ?? DEFAULT_ENRICH_RETRY;
  const breakerConfig = options.breaker === false ? undefined : (options.breaker ?? {});
  const context = (meta: M): string => {
    const extra = options.errorContext?.(meta);
    if (!extra) return '';
    const text = JSON.stringify(extra);
    return text.length > 2 ? `${text.slice(1, -1)},` : '';
  };
  // A `SageMakerRuntime` knows its region and URL; the hint names them.
  const { region, endpoint } = client as { region?: unknown; endpoint?: unknown };
  const where = {
    endpointName,
    ...(typeof region === 'string' ? { region } : {}),
    ...(endpoint !== undefined ? { endpointUrl: String(endpoint) } : {}),
  };
  // Built once now so a bad breaker config throws when the operator is created.
  if (breakerConfig) new CircuitBreaker(breakerConfig, where);

  return (source) =>
    new Observable<EnrichOutcome<M>>((subscriber) => {
      const limiter = options.limiter ?? (options.adaptive ? adaptiveLimiter(options.adaptive, concurrency) : undefined);
      const invoker = stats ? countingInvoker(client, stats) : client;
      const breaker = breakerConfig ? new CircuitBreaker(breakerConfig, where) : undefined;
      const common = {
        concurrency,
        ordered: false,
        retry,
        ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
        ...(limiter ? { limiter } : {}),
      };
      let nextSeq = 0;
      let emitSeq = 0;
      const held = new Map<number, EnrichOutcome<M>>();
      let stopped = false;

      const deliver = (outcome: EnrichOutcome<M>): void => {
        if (stats) {
          if (outcome.kind === 'enriched') stats.ok++;
          else {
            stats.failed++;
            if (outcome.kind === 'malformed') stats.malformed++;
          }
        }
        subscriber.next(outcome);
        if (outcome.kind === 'malformed' || !breaker) return;
        const open = breaker.record(outcome.kind === 'failed' ? outcome.error : undefined);
        if (open) {
          stopped = true;
          subscriber.error(open);
        }
      };
      const settle = (seq: number, outcome: EnrichOutcome<M>): void => {
        if (stopped) return;
        if (!ordered) return deliver(outcome);
        held.set(seq, outcome);
        while (!stopped && held.has(emitSeq)) {
          const next = held.get(emitSeq)!;
          held.delete(emitSeq++);
          deliver(next);
        }
      };

      const malformed = (seq: number, record: EnrichRecord<M>, reason: string): void => {
        const error = { name: 'SyntaxError', message: reason, retryable: false, $metadata: {} };
        const errorLine = `{${context(record.meta)}"error":${JSON.stringify(error)},"record":null,"raw":${JSON.stringify(record.line)}}`;
        settle(seq, { kind: 'malformed', record, reason, errorLine });
      };
      const failed = (p: { seq: number; record: EnrichRecord<M>; line: string }, error: SageMakerRuntimeError): void => {
        const errorLine = `{${context(p.record.meta)}"error":${JSON.stringify(errorToJson(error))},"record":${p.line.trim()}}`;
        settle(p.seq, { kind: 'failed', record: p.record, error, errorLine });
      };
      const enriched = (p: Prepared<M>, text: string): void => {
        settle(p.seq, { kind: 'enriched', record: p.record, line: spliceAnswer(p.line, p.parsed, as, text) });
      };

      const toSend = new Subject<Prepared<M>>();
      let inner: Subscription;
      if (codec) {
        inner = toSend
          .pipe(
            batchInvocations(invoker, {
              ...common,
              endpointName,
              maxBatchSize: batchSize,
              codec: mapCodec(codec, (p: Prepared<M>) => p.payload),
              ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
              ...(options.splitOnFailure ? { splitOnFailure: true } : {}),
              ...(options.contentType !== undefined || options.accept !== undefined
                ? {
                    toRequest: () => ({
                      ...(options.contentType !== undefined ? { ContentType: options.contentType } : {}),
                      ...(options.accept !== undefined ? { Accept: options.accept } : {}),
                    }),
                  }
                : {}),
            }),
          )
          .subscribe({
            next: (r) => (r.error ? failed(r.item, r.error) : enriched(r.item, valueText(r.output))),
            error: (err: unknown) => subscriber.error(err),
            complete: () => subscriber.complete(),
          });
      } else {
        inner = toSend
          .pipe(
            invokeEach(
              invoker,
              (p: Prepared<M>) => ({
                EndpointName: endpointName,
                ...singleBody(p.payload),
                ...(options.contentType !== undefined ? { ContentType: options.contentType } : {}),
                ...(options.accept !== undefined ? { Accept: options.accept } : {}),
              }),
              common,
            ),
          )
          .subscribe({
            next: (r) => (r.error ? failed(r.item, r.error) : enriched(r.item, answerText(r.output))),
            error: (err: unknown) => subscriber.error(err),
            complete: () => subscriber.complete(),
          });
      }

      const upstream = source.subscribe({
        next: (record) => {
          const seq = nextSeq++;
          const line = record.line.charCodeAt(0) === BOM ? record.line.slice(1) : record.line;
          let parsed: unknown;
          try {
            parsed = JSON.parse(line);
          } catch (err) {
            return malformed(seq, record, `not JSON: ${(err as Error).message}`);
          }
          const conflict = asConflict(parsed, as);
          if (conflict) return malformed(seq, record, conflict);
          let payload: RecordPayload;
          try {
            payload = payloadOf(line, parsed, field);
          } catch (err) {
            return failed({ seq, record, line }, new InvalidRequestError({ member: 'field', rule: (err as Error).message }));
          }
          toSend.next({ seq, record, line, parsed, payload });
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => toSend.complete(),
      });
      return () => {
        stopped = true;
        upstream.unsubscribe();
        inner.unsubscribe();
        held.clear();
      };
    });
}

/** Why the answer cannot go under `as` in this record (a step of it exists and is not an object), or undefined. */
function asConflict(parsed: unknown, as: FieldPath): string | undefined {
  if (!isPlainObject(parsed)) return undefined;
  let value: unknown = parsed;
  for (let i = 0; i < as.length - 1; i++) {
    if (!isPlainObject(value) || !Object.hasOwn(value, as[i]!)) return undefined;
    value = value[as[i]!];
    if (!isPlainObject(value)) return `cannot add the answer under "${formatFieldPath(as)}": "${formatFieldPath(as.slice(0, i + 1))}" is not an object`;
  }
  return undefined;
}
