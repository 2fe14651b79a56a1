import { LineSplitter, reframeChunks, type ReframingOperator } from './reframe.js';
import { StreamParseError } from './reframe-error.js';

/** One JSON value of a JSON Lines response stream. */
export interface InvokeRecordEvent<T = unknown> {
  type: 'record';
  attempt: number;
  /** The timestamp of the chunk that completed the record. */
  timestamp: number;
  /** The parsed value. */
  value: T;
  /** 0-based index of the record in the attempt's stream (blank lines do not count). */
  index: number;
  /** 1-based line number of the record in the attempt's stream (blank lines count). */
  line: number;
}

/** True for a `record` event. */
export function isRecordEvent<T = unknown>(e: { type: string }): e is InvokeRecordEvent<T> {
  return e.type === 'record';
}

/**
 * Reframes a JSON Lines response stream into records: replaces its `chunk` events with one
 * `record` event per line, parsed with `JSON.parse`, whatever the chunk boundaries (see
 * `lines()`); blank lines are skipped; a last line without terminator is parsed at the end.
 * A line that is not JSON gives an `error` event with a `StreamParseError` naming the line,
 * after the records before it, and ends the invocation: the stream is aborted and nothing
 * after the bad line is emitted. Every other event passes through unchanged.
 *
 * @typeParam T the type you expect the records to have (not checked).
 * @example
 * ```ts
 * import { jsonLines } from 'sagemaker-rx';
 * client.invokeEndpointWithResponseStream$(input).pipe(jsonLines<{ token: { text: string } }>())
 *   .subscribe((e) => e.type === 'record' && process.stdout.write(e.value.token.text));
 * ```
 */
export function jsonLines<T = unknown>(): ReframingOperator<InvokeRecordEvent<T>> {
  return reframeChunks<InvokeRecordEvent<T>>(() => {
    const splitter = new LineSplitter('lf');
    let line = 0;
    let index = 0;
    const emit = (texts: string[], attempt: number, timestamp: number, out: InvokeRecordEvent<T>[]) => {
      for (const text of texts) {
        line++;
        if (text.trim() === '') continue;
        let value: T;
        try {
          value = JSON.parse(text) as T;
        } catch (cause) {
          throw new StreamParseError({ line, format: 'json-lines', text, cause });
        }
        out.push({ type: 'record', attempt, timestamp, value, index: index++, line });
      }
    };
    return {
      chunk: (e, out) => emit(splitter.push(e.bytes), e.attempt, e.timestamp, out),
      end: (e, out) => emit(splitter.end(), e.attempt, e.timestamp, out),
    };
  });
}
