/**
 * Runs an Observable to its last value, and stops it (unsubscribing, which aborts in-flight
 * requests) when SIGINT or SIGTERM arrives.
 */
import type { Observable } from 'rxjs';
import type { CliIo } from './cli-io.js';

/** How the run ended: its last value, or the signal that stopped it. */
export type RunOutcome<T> = { value: T | undefined; signal?: never } | { value?: never; signal: 'SIGINT' | 'SIGTERM' };

/** Subscribes to `source$`; resolves with its last value on completion or with the signal that stopped it; rejects on an error notification. */
export function runUntilSignal<T>(source$: Observable<T>, io: Pick<CliIo, 'onSignal'>): Promise<RunOutcome<T>> {
  return new Promise((resolve, reject) => {
    let last: T | undefined;
    let removeSignal = (): void => {};
    const subscription = source$.subscribe({
      next: (v) => {
        last = v;
      },
      error: (err: unknown) => {
        removeSignal();
        reject(err);
      },
      complete: () => {
        removeSignal();
        resolve({ value: last });
      },
    });
    if (subscription.closed) return;
    removeSignal = io.onSignal((signal) => {
      removeSignal();
      subscription.unsubscribe();
      resolve({ signal });
    });
  });
}
