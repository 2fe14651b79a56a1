import { LineSplitter, reframeChunks, type ReframingOperator } from './reframe.js';

/** One line of a response stream's text, without its terminator. */
export interface InvokeLineEvent {
  type: 'line';
  /** The attempt whose stream carried the line. */
  attempt: number;
  /** The timestamp of the chunk that completed the line (of the `response` for the last, unterminated line). */
  timestamp: number;
  /** The line's text, without `\n` or `\r\n`. */
  line: string;
  /** 0-based index of the line in the attempt's stream. */
  index: number;
}

/** True for a `line` event. */
export function isLineEvent(e: { type: string }): e is InvokeLineEvent {
  return e.type === 'line';
}

/**
 * Reframes a response stream into lines: replaces its `chunk` events with one `line` event per
 * line of text, whatever the chunk boundaries — a chunk may hold half a line, several lines, or
 * half of a multi-byte UTF-8 character. Lines end at `\n` or `\r\n`; the last line, if it has no
 * terminator, is emitted when the stream ends well, before the `response` event. Every other
 * event passes through unchanged. A new attempt (`sent`) starts afresh; after an `error` event
 * a partial line is dropped.
 *
 * @example
 * ```ts
 * import { lines } from 'sagemaker-rx';
 * client.invokeEndpointWithResponseStream$(input).pipe(lines())
 *   .subscribe((e) => e.type === 'line' && console.log(e.line));
 * // chunks 'a\nb' and 'c\n' → line 'a', line 'bc', then response
 * ```
 */
export function lines(): ReframingOperator<InvokeLineEvent> {
  return reframeChunks<InvokeLineEvent>(() => {
    const splitter = new LineSplitter('lf');
    let index = 0;
    const emit = (texts: string[], attempt: number, timestamp: number, out: InvokeLineEvent[]) => {
      for (const line of texts) out.push({ type: 'line', attempt, timestamp, line, index: index++ });
    };
    return {
      chunk: (e, out) => emit(splitter.push(e.bytes), e.attempt, e.timestamp, out),
      end: (e, out) => emit(splitter.end(), e.attempt, e.timestamp, out),
    };
  });
}
