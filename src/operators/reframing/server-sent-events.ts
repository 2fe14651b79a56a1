import { LineSplitter, reframeChunks, type ReframingOperator } from './reframe.js';
import { SseParser, type SseMessage } from './server-sent-events-parser.js';

/** One dispatched Server-Sent Event of a response stream. */
export interface InvokeSseEvent {
  type: 'sse';
  attempt: number;
  /** The timestamp of the chunk that completed the event. */
  timestamp: number;
  /** The `event:` field; absent means the default type, `message`. */
  event?: string;
  /** The `data:` lines, joined with `\n`. */
  data: string;
  /** The last event ID (`id:`), which carries over to later events as the spec says; absent while none was set. */
  id?: string;
  /** A `retry:` field (reconnection time in ms) given within this event's lines. */
  retry?: number;
  /** 0-based index of the event in the attempt's stream. */
  index: number;
}

/** True for an `sse` event. */
export function isSseEvent(e: { type: string }): e is InvokeSseEvent {
  return e.type === 'sse';
}

/** Options of `serverSentEvents()`. */
export interface ServerSentEventsConfig {
  /**
   * Dispatch an event whose final blank line never came when the stream ends. The SSE spec
   * discards it; some servers forget the last blank line.
   * @default false
   */
  dispatchIncompleteAtEnd?: boolean;
}

/**
 * Reframes a `text/event-stream` response stream into Server-Sent Events: replaces its `chunk`
 * events with one `sse` event per dispatched event, parsed as the WHATWG spec says, whatever the
 * chunk boundaries (half a line, several events, half of a UTF-8 character). Lines end at `\n`,
 * `\r\n` or `\r`. An event still open when the stream ends is discarded, as the spec says,
 * unless `dispatchIncompleteAtEnd`. Every other event passes through unchanged.
 *
 * @example
 * ```ts
 * import { serverSentEvents } from 'sagemaker-rx';
 * client.invokeEndpointWithResponseStream$(input).pipe(serverSentEvents())
 *   .subscribe((e) => e.type === 'sse' && console.log(e.event ?? 'message', e.data));
 * // 'data: {"token":{"text":"Hi"}}\n\n' → sse { data: '{"token":{"text":"Hi"}}' }
 * ```
 */
export function serverSentEvents(config: ServerSentEventsConfig = {}): ReframingOperator<InvokeSseEvent> {
  const { dispatchIncompleteAtEnd = false } = config;
  if (typeof dispatchIncompleteAtEnd !== 'boolean') {
    throw new TypeError(`serverSentEvents: dispatchIncompleteAtEnd must be a boolean, got ${String(dispatchIncompleteAtEnd)}`);
  }
  return reframeChunks<InvokeSseEvent>(() => {
    const splitter = new LineSplitter('any');
    const parser = new SseParser();
    let index = 0;
    const push = (m: SseMessage | undefined, attempt: number, timestamp: number, out: InvokeSseEvent[]) => {
      if (m === undefined) return;
      const { line: _line, ...fields } = m;
      out.push({ type: 'sse', attempt, timestamp, ...fields, index: index++ });
    };
    return {
      chunk: (e, out) => {
        for (const text of splitter.push(e.bytes)) push(parser.line(text), e.attempt, e.timestamp, out);
      },
      end: (e, out) => {
        for (const text of splitter.end()) push(parser.line(text), e.attempt, e.timestamp, out);
        push(parser.end(dispatchIncompleteAtEnd), e.attempt, e.timestamp, out);
      },
    };
  });
}
