import {
  asyncScheduler,
  concat,
  defer,
  from,
  mergeMap,
  of,
  type Observable,
  type OperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import type { EndpointInvoker } from '../../events/invoker.js';
import { InvalidRequestError } from '../../errors/client-errors.js';
import type { SageMakerRuntimeError } from '../../errors/sagemaker-runtime-error.js';
import type { InvokeEvent } from '../../events/invoke-event.js';
import type { InvokeEndpointInput, InvokeEndpointOutput } from '../../model/shapes.js';
import { MAX_BODY_BYTES } from '../../model/index.js';
import { BatchDecodeError } from './batch-decode-error.js';
import type { Codec, CodecName } from './codecs/codec.js';
import { toBytes } from './codecs/codec-text.js';
import { resolveCodec } from './codecs/resolve-codec.js';
import { invocationOptionsOperator, messageOf, validateConcurrency, type InvocationOptions } from './invocation-options.js';
import { settleInvocation, type BatchInfo, type BatchResult } from './invocation-result.js';
import { joinPieces, packBatches, type PackedBatch, type RejectedItem } from './pack-batches.js';
import { reorderByIndex } from './reorder-by-index.js';
import { DEFAULT_BATCH_CONCURRENCY, DEFAULT_MAX_BATCH_SIZE, DEFAULT_MAX_BATCH_WAIT_MS } from '../../defaults.js';
import { publishBatchSent } from '../../diagnostics/publish.js';

/** What `toRequest` is given: the batch about to be sent. */
export interface BatchContext<T> {
  /** The batch's id, as in its results' `batch.id`. */
  readonly id: number;
  /** The items, in source order. */
  readonly items: readonly T[];
  /** The items' 0-based positions in the source. */
  readonly indexes: readonly number[];
}

/** Options of `batchInvocations`: its own, and the resilience options applied to every batch's invocation. */
export interface BatchInvocationsConfig<T, R = unknown> extends InvocationOptions {
  /** The endpoint every batch is sent to. */
  endpointName: string;
  /** Most items in one invocation. @default 32 items */
  maxBatchSize?: number;
  /** Longest wait from a batch's first item until it is sent (`Infinity`: only size, bytes or completion close a batch). @default 50 ms */
  maxWaitMs?: number;
  /** Most bytes in one request body; never above the service's 6,291,456. @default 6_291_456 bytes */
  maxBatchBytes?: number;
  /** How a batch is encoded and its answer decoded: a `Codec`, or `'json'`, `'jsonl'`, `'csv'`. @default jsonArrayCodec() */
  codec?: Codec<T, R> | CodecName;
  /** Most batches in flight at once (a positive integer, or `Infinity`). @default 2 invocations */
  concurrency?: number;
  /** Emit results in input order; else a batch's results come out together when it settles. @default false */
  ordered?: boolean;
  /**
   * When a batch fails with an error that is not retryable (a `ModelError`, a `BatchDecodeError`, …),
   * send its two halves again, recursively, so that only the item(s) at fault fail. @default false
   */
  splitOnFailure?: boolean;
  /** Extra request members per batch (`Accept`, `CustomAttributes`, `TargetVariant`, …); they override the codec's `ContentType`/`Accept`. Throwing fails the batch. */
  toRequest?: (batch: BatchContext<T>) => Partial<Omit<InvokeEndpointInput, 'Body'>>;
  /** Attach the events of the batch's invocation to each of its results as `events` (one shared array). @default false */
  keepEvents?: boolean;
  /** The clock of `maxWaitMs`, and of `retry` and `timeout` unless their own configs name one. @default asyncScheduler */
  scheduler?: SchedulerLike;
}

/**
 * Packs source items into batches, sends each batch as one invocation, and emits one result per
 * item: `{ item, index, output, batch }` with the item's own decoded answer, or
 * `{ item, index, error, batch }`. Failures are values; the error channel is never used for them.
 *
 * A batch closes at `maxBatchSize` items, when the next item would take its body over
 * `maxBatchBytes`, `maxWaitMs` after its first item (on `scheduler`), or when the source
 * completes. An item too large to travel alone gets its own `InvalidRequestError` (member `Body`,
 * rule `at most N bytes per batch`) and is never sent. The codec (`json`, `jsonl`, `csv` or your
 * own) encodes the batch and decodes the answer into one value per item; a failed invocation, a
 * throwing `decode` or a `decode` that returns the wrong number of values gives every item of the
 * batch the same error (a `BatchDecodeError` for the latter two) — results are never shifted onto
 * the wrong item. With `splitOnFailure`, a batch that fails with a non-retryable error is bisected
 * and the halves sent again, one after the other, until the failing item stands alone.
 *
 * `retry`, `timeout` and `limiter` apply to each batch's invocation as in `invokeEach` (a
 * retried batch is the same batch sent again; a limiter permit is one batch).
 *
 * At most `concurrency` batches are in flight; closed batches beyond that wait inside `mergeMap`
 * (RxJS sources push, so a fast source's items are held there; this operator adds no buffer of
 * its own beyond the open batch). When the source completes, the partial batch is sent at once and
 * the operator completes after every batch settles. Unsubscribing cancels the wait timer and
 * unsubscribes the in-flight invocations, which aborts their requests.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { SageMakerRuntime, batchInvocations } from 'sagemaker-rx';
 *
 * const client = new SageMakerRuntime({ region: 'eu-west-1' });
 * from([{ text: 'great' }, { text: 'awful' }]).pipe(
 *   batchInvocations(client, { endpointName: 'sentiment', codec: 'jsonl', maxBatchSize: 64 }),
 * ).subscribe((r) => console.log(r.index, r.batch.id, r.error?.name ?? r.output));
 * // 0 1 { label: 'POSITIVE', score: 0.97 }
 * // 1 1 { label: 'NEGATIVE', score: 0.95 }
 * ```
 */
export function batchInvocations<T, R = unknown>(
  client: EndpointInvoker,
  config: BatchInvocationsConfig<T, R>,
): OperatorFunction<T, BatchResult<T, R>> {
  const {
    endpointName,
    maxBatchSize = DEFAULT_MAX_BATCH_SIZE,
    maxWaitMs = DEFAULT_MAX_BATCH_WAIT_MS,
    maxBatchBytes = MAX_BODY_BYTES,
    concurrency = DEFAULT_BATCH_CONCURRENCY,
    ordered = false,
    splitOnFailure = false,
    toRequest,
    keepEvents = false,
    scheduler = asyncScheduler,
  } = config ?? ({} as BatchInvocationsConfig<T, R>);
  if (typeof client?.invokeEndpoint$ !== 'function') {
    throw new TypeError('batchInvocations: client must have an invokeEndpoint$(input) method');
  }
  if (typeof endpointName !== 'string' || endpointName === '') {
    throw new TypeError('batchInvocations: endpointName must be a non-empty string');
  }
  if (!(Number.isInteger(maxBatchSize) && maxBatchSize >= 1)) {
    throw new RangeError(`batchInvocations: maxBatchSize must be a positive integer, got ${maxBatchSize}`);
  }
  if (!(typeof maxWaitMs === 'number' && maxWaitMs >= 0)) {
    throw new RangeError(`batchInvocations: maxWaitMs must be a number >= 0 (or Infinity), got ${maxWaitMs}`);
  }
  if (!(Number.isInteger(maxBatchBytes) && maxBatchBytes >= 1 && maxBatchBytes <= MAX_BODY_BYTES)) {
    throw new RangeError(`batchInvocations: maxBatchBytes must be an integer from 1 to ${MAX_BODY_BYTES}, got ${maxBatchBytes}`);
  }
  validateConcurrency('batchInvocations', concurrency);
  if (toRequest !== undefined && typeof toRequest !== 'function') {
    throw new TypeError('batchInvocations: toRequest must be a function');
  }
  const codec = resolveCodec<T, R>(config.codec ?? 'json');
  const resilience = invocationOptionsOperator('batchInvocations', client, config, config.scheduler);

  return (source) =>
    defer(() => {
      let lastBatchId = 0;

      /** Sends one batch (a sub-batch after a split too) and emits one result per item. */
      const send = (items: T[], indexes: number[], pieces?: Uint8Array[]): Observable<BatchResult<T, R>> =>
        defer(() => {
          let body: Uint8Array;
          try {
            body = pieces ? joinPieces(pieces, codec.frame) : toBytes(codec.encode(items));
          } catch (err) {
            const rule = `the codec could not encode the batch: ${messageOf(err)}`;
            return everyItem<T, R>(items, indexes, { id: ++lastBatchId, size: items.length }, new InvalidRequestError({ member: 'Body', rule, cause: err }));
          }
          // Only without `encodeItem` can the estimate be wrong: halve rather than send too much.
          if (body.byteLength > maxBatchBytes && items.length > 1) return bisect(items, indexes, pieces);
          const info: BatchInfo = { id: ++lastBatchId, size: items.length };
          if (body.byteLength > maxBatchBytes) {
            const error = new InvalidRequestError({ member: 'Body', rule: `at most ${maxBatchBytes} bytes per batch` });
            return everyItem<T, R>(items, indexes, info, error);
          }
          let extra: Partial<InvokeEndpointInput> = {};
          if (toRequest) {
            try {
              extra = toRequest({ id: info.id, items, indexes }) ?? {};
            } catch (err) {
              return everyItem<T, R>(items, indexes, info, new InvalidRequestError({ member: 'toRequest', rule: messageOf(err), cause: err }));
            }
          }
          const input: InvokeEndpointInput = {
            EndpointName: endpointName,
            ContentType: codec.contentType,
            ...(codec.accept === undefined ? {} : { Accept: codec.accept }),
            ...extra,
            Body: body,
          };
          publishBatchSent(endpointName, info.id, items.length, body.byteLength);
          const failed = (error: SageMakerRuntimeError, events?: InvokeEvent[]) =>
            splitOnFailure && !error.retryable && items.length > 1
              ? bisect(items, indexes, pieces)
              : everyItem<T, R>(items, indexes, info, error, events);
          return client.invokeEndpoint$(input).pipe(
            resilience,
            settleInvocation(keepEvents),
            mergeMap((settled) =>
              settled.error
                ? failed(settled.error, settled.events)
                : decoded(settled.output, items, indexes, info, settled.events, failed),
            ),
          );
        });

      /** Sends the two halves, one after the other, so a split never exceeds the batch's concurrency slot. */
      const bisect = (items: T[], indexes: number[], pieces?: Uint8Array[]): Observable<BatchResult<T, R>> => {
        const mid = Math.ceil(items.length / 2);
        return concat(
          send(items.slice(0, mid), indexes.slice(0, mid), pieces?.slice(0, mid)),
          send(items.slice(mid), indexes.slice(mid), pieces?.slice(mid)),
        );
      };

      const decoded = (
        output: InvokeEndpointOutput,
        items: T[],
        indexes: number[],
        info: BatchInfo,
        events: InvokeEvent[] | undefined,
        failed: (error: SageMakerRuntimeError, events?: InvokeEvent[]) => Observable<BatchResult<T, R>>,
      ): Observable<BatchResult<T, R>> => {
        let values: R[];
        try {
          values = codec.decode(output, items);
          if (!Array.isArray(values)) throw new TypeError(`decode returned ${values === null ? 'null' : typeof values}, not an array`);
        } catch (err) {
          return failed(new BatchDecodeError({ batchId: info.id, expected: items.length, cause: err, $metadata: output.$metadata }), events);
        }
        if (values.length !== items.length) {
          return failed(new BatchDecodeError({ batchId: info.id, expected: items.length, got: values.length, $metadata: output.$metadata }), events);
        }
        const kept = events ? { events } : {};
        return from(items.map((item, k): BatchResult<T, R> => ({ item, index: indexes[k]!, output: values[k]!, batch: info, ...kept })));
      };

      const toResults = (packed: PackedBatch<T> | RejectedItem<T>) =>
        packed.kind === 'batch'
          ? send(packed.items, packed.indexes, packed.pieces)
          : of<BatchResult<T, R>>({
              item: packed.item,
              index: packed.index,
              error: packed.error,
              batch: { id: ++lastBatchId, size: 1 },
              ...(keepEvents ? { events: [] } : {}),
            });

      const results = source.pipe(
        packBatches({ maxBatchSize, maxWaitMs, maxBatchBytes, codec, scheduler }),
        mergeMap(toResults, concurrency),
      );
      return ordered ? results.pipe(reorderByIndex()) : results;
    });
}

/** The same error as the result of every item of a batch. */
function everyItem<T, R>(
  items: readonly T[],
  indexes: readonly number[],
  batch: BatchInfo,
  error: SageMakerRuntimeError,
  events?: InvokeEvent[],
): Observable<BatchResult<T, R>> {
  const kept = events ? { events } : {};
  return from(items.map((item, k): BatchResult<T, R> => ({ item, index: indexes[k]!, error, batch, ...kept })));
}
