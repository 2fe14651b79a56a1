/**
 * Turns SIGINT/SIGTERM into an `AbortSignal` for the length of a run, and remembers which signal
 * came (the last), so the command can say what stopped it and pick the exit code.
 */
import type { CliIo } from './cli-io.js';

type CliSignal = 'SIGINT' | 'SIGTERM';

/** Aborts `signal` on every SIGINT/SIGTERM until `remove()`; `received()` is the last one, if any. */
export function abortOnSignal(io: Pick<CliIo, 'onSignal'>): { readonly signal: AbortSignal; received(): CliSignal | undefined; remove(): void } {
  const abort = new AbortController();
  let received: CliSignal | undefined;
  const remove = io.onSignal((s) => {
    received = s;
    abort.abort();
  });
  return { signal: abort.signal, received: () => received, remove };
}
