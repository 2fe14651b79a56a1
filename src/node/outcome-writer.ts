/**
 * Writes outcomes to the output and errors streams in the order they come, honouring each
 * stream's back-pressure, with one ordering rule that makes resuming by count exact: an enriched
 * line is handed to the output only after every error line before it has been handed to the
 * operating system. So if an output line survives a crash, every failure before it survived too.
 */
import type { Writable } from 'node:stream';
import type { EnrichOutcome } from './enrich-record.js';

/** Writes outcomes; `idle()` resolves when it can take more. */
export class OutcomeWriter<M> {
  private readonly queue: Array<EnrichOutcome<M>> = [];
  private barrier: Promise<void> | undefined;
  private draining: Promise<void> | undefined;
  private waiters: Array<() => void> = [];
  private failure: Error | undefined;

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
    if (this.queue.length === 0 && !this.barrier && !this.draining) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push(() => (this.failure ? reject(this.failure) : resolve())));
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.barrier && !this.draining && !this.failure) {
      const outcome = this.queue.shift()!;
      if (outcome.kind === 'enriched') {
        this.push(this.output, `${outcome.line}\n`);
      } else if (this.errors) {
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
    if (this.queue.length === 0 && !this.barrier && !this.draining) this.wake();
    if (this.failure) this.wake();
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
