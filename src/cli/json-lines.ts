/**
 * JSON Lines in and out, as streams: lines are read one at a time (readline, so a file of a
 * million lines is never in memory at once) and written with the sink's back-pressure respected.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { Observable } from 'rxjs';

/** One non-blank line of the input, with its 1-based line number in the file. */
export interface InputLine {
  line: number;
  text: string;
}

/**
 * Emits the non-blank lines of `input` as `InputLine`s, calling `pace()` before each and waiting
 * for it, so the reader goes no faster than the consumer gives credits back. Completes at the end
 * of the input; unsubscribing stops reading (the caller closes the stream it opened).
 */
export function readLines$(input: Readable, pace: () => Promise<void>): Observable<InputLine> {
  return new Observable<InputLine>((subscriber) => {
    const reader = createInterface({ input, crlfDelay: Infinity });
    let stopped = false;
    (async () => {
      let line = 0;
      for await (const text of reader) {
        line++;
        if (stopped) break;
        if (text.trim() === '') continue;
        await pace();
        if (stopped) break;
        subscriber.next({ line, text });
      }
      if (!stopped) subscriber.complete();
    })().catch((err: unknown) => {
      if (!stopped) subscriber.error(err);
    });
    return () => {
      stopped = true;
      reader.close();
    };
  });
}

/** Writes one JSON value per line to a stream, counting lines and honouring back-pressure. */
export class JsonLinesWriter {
  /** Lines written so far. */
  lines = 0;
  private draining: Promise<void> | undefined;

  /** @param stream where lines go. @param owned whether `close()` ends the stream (a file) or only flushes it (stdout). */
  constructor(
    private readonly stream: Writable,
    private readonly owned: boolean,
  ) {}

  /** Writes `value` as one JSON line. */
  write(value: unknown): void {
    this.lines++;
    if (!this.stream.write(`${JSON.stringify(value)}\n`) && !this.draining) {
      this.draining = once(this.stream, 'drain').then(() => {
        this.draining = undefined;
      });
    }
  }

  /** Resolves when the stream can take more (immediately unless its buffer is full). */
  ready(): Promise<void> {
    return this.draining ?? Promise.resolve();
  }

  /** Flushes, and ends the stream if this writer owns it; resolves when the data is out. */
  async close(): Promise<void> {
    if (this.owned) {
      if (this.stream.writableFinished) return;
      const finished = once(this.stream, 'finish');
      this.stream.end();
      await finished;
    } else {
      await this.ready();
    }
  }
}
