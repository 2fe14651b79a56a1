/**
 * Writes outcomes to the output and errors streams in the order they come, honouring each
 * stream's back-pressure, with one ordering rule that makes resuming by count exact: an enriched
 * line is handed to the output only after every error line before it has been handed to the
 * operating system. So if an output line survives a crash, every failure before it survived too.
 */
import type { Writable } from 'node:stream';
import type { EnrichOutcome } from './enrich-record.js';

/** Characters of enriched lines gathered before they are written as one chunk. */
const CHUNK_CHARS = 64 * 1024;

/** Writes outcomes; `idle()` resolves when it can take more. */
export class OutcomeWriter<M> {
  private readonly queue: Array<EnrichOutcome<M>> = [];
  private barrier: Promise<void> | undefined;
  private draining: Promise<void> | undefined;
  private waiters: Array<() => void> = [];
  private failure: Error | undefined;
  /** Enriched lines not yet handed to the output: one write per chunk instead of one per line (a write costs ~1 µs of syscall and bookkeeping). */
  private chunk = '';
  private flushScheduled = false;

  /**
   * @param output where enriched lines go.
   * @param errors where error lines go; without it failures are only passed to `onFailure`.
   */
  constructor(
    private readonly output: Writable,
    private readonly errors: Writable | undefined,
  ) {}

  /** Queues one outcome. */
  write(outcome: EnrichOutcome<M>): void {
    this.queue.push(outcome);
    this.pump();
  }

  /** Resolves when nothing is queued and no stream waits for `drain`; rejects after a write error. */
  idle(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.queue.length === 0 && !this.barrier && !this.draining && this.chunk === '') return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push(() => (this.failure ? reject(this.failure) : resolve())));
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.barrier && !this.draining && !this.failure) {
      const outcome = this.queue.shift()!;
      if (outcome.kind === 'enriched') {
        this.chunk += `${outcome.line}\n`;
        if (this.chunk.length >= CHUNK_CHARS) this.flush();
        else this.scheduleFlush();
      } else if (this.errors) {
        this.flush();
        // The barrier: later output lines wait until this error line is with the OS.
        const errors = this.errors;
        this.barrier = new Promise<void>((resolve) => {
          const ok = errors.write(`${outcome.errorLine}\n`, (err) => {
            if (err) this.failure = err;
            resolve();
          });
          if (!ok) this.awaitDrain(errors);
        }).then(() => {
          this.barrier = undefined;
          this.pump();
        });
      }
    }
    if (this.queue.length === 0 && !this.barrier && !this.draining && this.chunk === '') this.wake();
    if (this.failure) this.wake();
  }

  /** Hands the pending enriched lines to the output. */
  private flush(): void {
    if (this.chunk === '') return;
    const text = this.chunk;
    this.chunk = '';
    this.push(this.output, text);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
      this.pump();
    });
  }

  private push(stream: Writable, text: string): void {
    if (!stream.write(text)) this.awaitDrain(stream);
  }

  private awaitDrain(stream: Writable): void {
    if (this.draining) return;
    this.draining = new Promise<void>((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('close', done);
        stream.off('error', onError);
        resolve();
      };
      const onError = (err: Error) => {
        this.failure = err;
        done();
      };
      stream.on('drain', done);
      stream.on('close', done);
      stream.on('error', onError);
    }).then(() => {
      this.draining = undefined;
      this.pump();
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
