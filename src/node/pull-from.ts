/**
 * A bounded pulling source: reads the next item of an (async) iterable only while fewer than
 * `maxInFlight` items are between being read and coming out of the pipeline, so memory stays flat
 * whatever the size of the source or the speed of the endpoint.
 */
import { Observable, Subject, type OperatorFunction } from 'rxjs';

/** Options of `pullFrom`. */
export interface PullFromOptions {
  /** Most items read but not yet out of `through`. @default 256 items */
  maxInFlight?: number;
  /** Awaited before each read, e.g. until a slow sink has drained. */
  ready?: () => Promise<void> | void;
}

/** Default `maxInFlight` of `pullFrom`. */
export const DEFAULT_PULL_MAX_IN_FLIGHT = 256;

/**
 * Pipes the items of `source` through `through`, pulling each item only when a slot is free; a
 * slot frees when `through` emits (so `through` must emit exactly one value per item, as
 * `invokeEach`, `batchInvocations` and `enrichRecords` do). Cold: each subscription iterates the
 * source afresh. It completes when the source is exhausted and `through` completes; an error of
 * the source or of `through` is passed on. Unsubscribing stops reading (the iterator's `return()`
 * is called) and unsubscribes `through`, which aborts its in-flight invocations.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { createInterface } from 'node:readline';
 * import { invokeEach } from 'sagemaker-rx';
 * import { pullFrom } from 'sagemaker-rx/node';
 *
 * const lines = createInterface({ input: createReadStream('big.jsonl'), crlfDelay: Infinity });
 * pullFrom(lines, invokeEach(client, (line: string) => ({ EndpointName: 'x', Body: line, ContentType: 'application/json' }), { concurrency: 8 }), { maxInFlight: 64 })
 *   .subscribe((result) => console.log(result.index));
 * ```
 */
export function pullFrom<T, R>(
  source: AsyncIterable<T> | Iterable<T>,
  through: OperatorFunction<T, R>,
  options: PullFromOptions = {},
): Observable<R> {
  const { maxInFlight = DEFAULT_PULL_MAX_IN_FLIGHT, ready } = options;
  if (!(Number.isInteger(maxInFlight) && maxInFlight >= 1)) {
    throw new RangeError(`pullFrom: maxInFlight must be a positive integer, got ${maxInFlight}`);
  }
  if (source === null || typeof source !== 'object' || !(Symbol.asyncIterator in source || Symbol.iterator in source)) {
    throw new TypeError('pullFrom: source must be an iterable or an async iterable');
  }
  if (typeof through !== 'function') throw new TypeError('pullFrom: through must be an operator');
  return new Observable<R>((subscriber) => {
    const items = new Subject<T>();
    let inFlight = 0;
    let stopped = false;
    let wake: (() => void) | undefined;
    const inner = through(items).subscribe({
      next: (value) => {
        inFlight--;
        const w = wake;
        wake = undefined;
        w?.();
        subscriber.next(value);
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => subscriber.complete(),
    });
    const iterator: AsyncIterator<T> | Iterator<T> =
      Symbol.asyncIterator in source ? (source as AsyncIterable<T>)[Symbol.asyncIterator]() : (source as Iterable<T>)[Symbol.iterator]();
    (async () => {
      for (;;) {
        while (inFlight >= maxInFlight && !stopped) await new Promise<void>((resolve) => (wake = resolve));
        if (stopped) return;
        if (ready) await ready();
        if (stopped) return;
        const step = await iterator.next();
        if (stopped) return;
        if (step.done) return items.complete();
        inFlight++;
        items.next(step.value);
      }
    })().catch((err: unknown) => {
      if (!stopped) subscriber.error(err);
    });
    return () => {
      stopped = true;
      wake?.();
      inner.unsubscribe();
      void Promise.resolve(iterator.return?.()).catch(() => undefined);
    };
  });
}
