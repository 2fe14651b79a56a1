/** The Promise twins' bridge from an Observable of one value, with an AbortSignal. */
import { EmptyError, type Observable } from 'rxjs';

/** Options of the Promise twins (`client.invokeEndpoint(input, options)`). */
export interface InvokeOptions {
  /** Aborting it cancels the request; the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/**
 * Subscribes and resolves with the first value; rejects with the Observable's error, with
 * `signal.reason` when the signal aborts (unsubscribing, which aborts the request), or with an
 * `EmptyError` when it completes empty.
 */
export function toPromise<T>(source: Observable<T>, { signal }: InvokeOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      subscription.unsubscribe();
      reject(signal!.reason);
    };
    const subscription = source.subscribe({
      next: (value) => {
        settle();
        resolve(value);
      },
      error: (error: unknown) => {
        settle();
        reject(error);
      },
      complete: () => {
        settle();
        reject(new EmptyError());
      },
    });
    function settle() {
      signal?.removeEventListener('abort', onAbort);
      // Resolving on the first value: drop the rest of the subscription.
      queueMicrotask(() => subscription?.unsubscribe());
    }
    if (!subscription.closed) signal?.addEventListener('abort', onAbort, { once: true });
  });
}
