import { Observable, type MonoTypeOperatorFunction } from 'rxjs';

/**
 * Re-emits values in the order of their `index` (0, 1, 2, …), holding back each value until every
 * lower index has been emitted. It is the `ordered` option of `invokeEach` and
 * `batchInvocations`: unlike `concatMap`, the work behind the values still runs concurrently;
 * only the emission waits. The buffer holds the values that finished while a lower index is
 * still pending, so one slow item holds back (not blocks) the ones after it.
 *
 * Indexes must be unique, 0-based and without gaps. On completion any value still held (a gap,
 * which the pipeline operators never leave) is emitted in index order, so nothing is lost.
 * Errors pass through at once; unsubscribing drops the buffer.
 */
export function reorderByIndex<V extends { readonly index: number }>(): MonoTypeOperatorFunction<V> {
  return (source) =>
    new Observable<V>((subscriber) => {
      const held = new Map<number, V>();
      let next = 0;
      const subscription = source.subscribe({
        next(value) {
          if (value.index !== next) {
            held.set(value.index, value);
            return;
          }
          subscriber.next(value);
          next += 1;
          for (let v = held.get(next); v !== undefined; v = held.get(next)) {
            held.delete(next);
            subscriber.next(v);
            next += 1;
          }
        },
        error: (err: unknown) => subscriber.error(err),
        complete() {
          const rest = [...held.values()].sort((a, b) => a.index - b.index);
          held.clear();
          for (const v of rest) subscriber.next(v);
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        held.clear();
      };
    });
}
