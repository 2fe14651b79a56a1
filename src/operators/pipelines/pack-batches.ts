import { Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { InvalidRequestError } from '../../errors/client-errors.js';
import type { Codec } from './codecs/codec.js';
import { toBytes } from './codecs/codec-text.js';
import { messageOf } from './invocation-options.js';

/** Items packed for one invocation, in source order. */
export interface PackedBatch<T> {
  kind: 'batch';
  items: T[];
  /** The items' 0-based positions in the source. */
  indexes: number[];
  /** Each item's encoding (from `codec.encodeItem`), when the codec has one. */
  pieces?: Uint8Array[];
  /** The body's size in bytes (exact with `encodeItem`, an estimate without). */
  bytes: number;
}

/** An item that cannot travel in any batch: too large alone, or the codec could not encode it. */
export interface RejectedItem<T> {
  kind: 'rejected';
  item: T;
  index: number;
  error: InvalidRequestError;
}

/** Options of `packBatches`: the three limits that close a batch, the codec that measures, the clock. */
export interface PackBatchesConfig<T> {
  maxBatchSize: number;
  maxWaitMs: number;
  maxBatchBytes: number;
  codec: Codec<T, unknown>;
  scheduler: SchedulerLike;
}

/**
 * Groups source items into batches and emits each batch when it is full (`maxBatchSize` items),
 * when the next item would take its body over `maxBatchBytes`, when `maxWaitMs` has passed since
 * its first item, or when the source completes. Each item is measured once as it arrives
 * (`codec.encodeItem`, else `codec.encode([item])`), so packing is linear in the items.
 *
 * An item that alone exceeds `maxBatchBytes`, or that the codec cannot encode, is emitted at once
 * as a `RejectedItem` with an `InvalidRequestError` (member `Body`). A source error is passed on
 * and the pending partial batch dropped (the source broke its own contract). Unsubscribing
 * cancels the wait timer and drops the partial batch.
 */
export function packBatches<T>(config: PackBatchesConfig<T>): OperatorFunction<T, PackedBatch<T> | RejectedItem<T>> {
  const { maxBatchSize, maxWaitMs, maxBatchBytes, codec, scheduler } = config;
  const incremental = typeof codec.encodeItem === 'function';
  const frame = incremental ? codec.frame ?? {} : {};
  const fixedBytes = toBytes(frame.prefix ?? '').byteLength + toBytes(frame.suffix ?? '').byteLength;
  const separatorBytes = toBytes(frame.separator ?? '').byteLength;
  const measure = (item: T): Uint8Array => toBytes(incremental ? codec.encodeItem!(item) : codec.encode([item]));

  return (source) =>
    new Observable<PackedBatch<T> | RejectedItem<T>>((subscriber) => {
      let items: T[] = [];
      let indexes: number[] = [];
      let pieces: Uint8Array[] = [];
      let bytes = fixedBytes;
      let timer: Subscription | undefined;
      let index = 0;

      const flush = () => {
        timer?.unsubscribe();
        timer = undefined;
        if (items.length === 0) return;
        const batch: PackedBatch<T> = { kind: 'batch', items, indexes, bytes, ...(incremental ? { pieces } : {}) };
        items = [];
        indexes = [];
        pieces = [];
        bytes = fixedBytes;
        subscriber.next(batch);
      };

      const reject = (item: T, i: number, rule: string, message?: string) =>
        subscriber.next({ kind: 'rejected', item, index: i, error: new InvalidRequestError({ member: 'Body', rule, message }) });

      const subscription = source.subscribe({
        next(item) {
          const i = index++;
          let piece: Uint8Array;
          try {
            piece = measure(item);
          } catch (err) {
            reject(item, i, `the codec could not encode the item: ${messageOf(err)}`);
            return;
          }
          if (fixedBytes + piece.byteLength > maxBatchBytes) {
            const rule = `at most ${maxBatchBytes} bytes per batch`;
            reject(item, i, rule, `Body: item ${i} needs ${fixedBytes + piece.byteLength} bytes alone; ${rule}`);
            return;
          }
          if (items.length > 0 && bytes + separatorBytes + piece.byteLength > maxBatchBytes) flush();
          bytes += (items.length > 0 ? separatorBytes : 0) + piece.byteLength;
          items.push(item);
          indexes.push(i);
          if (incremental) pieces.push(piece);
          if (items.length >= maxBatchSize) flush();
          else if (items.length === 1 && maxWaitMs !== Infinity) timer = scheduler.schedule(flush, maxWaitMs);
        },
        error: (err: unknown) => subscriber.error(err),
        complete() {
          flush();
          subscriber.complete();
        },
      });
      return () => {
        timer?.unsubscribe();
        subscription.unsubscribe();
        items = [];
        indexes = [];
        pieces = [];
      };
    });
}

/** The body of a batch from its pieces: `prefix + pieces.join(separator) + suffix`, in one allocation. */
export function joinPieces(pieces: readonly Uint8Array[], frame: Codec<unknown, unknown>['frame'] = {}): Uint8Array {
  const prefix = toBytes(frame.prefix ?? '');
  const separator = toBytes(frame.separator ?? '');
  const suffix = toBytes(frame.suffix ?? '');
  let size = prefix.byteLength + suffix.byteLength + separator.byteLength * Math.max(0, pieces.length - 1);
  for (const p of pieces) size += p.byteLength;
  const body = new Uint8Array(size);
  let at = 0;
  const put = (bytes: Uint8Array) => {
    body.set(bytes, at);
    at += bytes.byteLength;
  };
  put(prefix);
  pieces.forEach((p, k) => {
    if (k > 0) put(separator);
    put(p);
  });
  put(suffix);
  return body;
}
