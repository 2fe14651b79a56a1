/**
 * A lazy source that pulls: it takes records from an iterator only while fewer than `window` are
 * between the source and the consumer's `release()`. RxJS sources push, so `from(generator)`
 * would drain the generator into `mergeMap`'s buffer at once; this is the pull the `invokeEach`
 * docs recommend for bounded memory.
 */
import { Observable } from 'rxjs';

export interface PulledSource<T> {
  source: Observable<T>;
  /** One record has finished (its result arrived): pull the next. */
  release(): void;
}

export function pulledSource<T>(iterable: Iterable<T>, window: number): PulledSource<T> {
  let pump: () => void = () => undefined;
  let credits = window;
  const source = new Observable<T>((subscriber) => {
    const iterator = iterable[Symbol.iterator]();
    let pumping = false;
    let done = false;
    pump = () => {
      if (pumping || done) return;
      pumping = true;
      while (credits > 0 && !subscriber.closed) {
        const next = iterator.next();
        if (next.done) { done = true; subscriber.complete(); break; }
        credits -= 1;
        subscriber.next(next.value);
      }
      pumping = false;
    };
    pump();
    return () => { done = true; iterator.return?.(); };
  });
  return { source, release: () => { credits += 1; pump(); } };
}
