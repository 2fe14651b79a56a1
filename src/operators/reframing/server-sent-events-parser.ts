/**
 * The line-level parser behind `serverSentEvents()` and `textDeltas()`. Internal: not exported
 * from the package.
 */

/** A parsed event, before it becomes an `InvokeSseEvent`. */
export interface SseMessage {
  event?: string;
  data: string;
  id?: string;
  retry?: number;
  /** 1-based number of the line that dispatched the event (for errors about it). */
  line: number;
}

/**
 * The event-stream interpretation of the WHATWG HTML spec (§9.2.6), line by line: `data:` lines
 * appended with `\n`, `event:`, `id:` (ignored when it contains NUL), `retry:` (digits only),
 * comments (`:`) and unknown fields ignored, one space after the colon removed, a blank line
 * dispatches (nothing when there is no data).
 */
export class SseParser {
  private data = '';
  private eventType = '';
  private lastEventId = '';
  private retry: number | undefined;
  private lineNumber = 0;

  /** Takes one line (without terminator); returns the event a blank line dispatches. */
  line(text: string): SseMessage | undefined {
    this.lineNumber++;
    if (text === '') return this.dispatch();
    if (text.charCodeAt(0) === 58 /* : */) return undefined;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.charCodeAt(0) === 32 /* space */) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data += `${value}\n`;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.retry = Number(value);
        break;
    }
    return undefined;
  }

  /** The stream ended: the pending event if `dispatchIncomplete`, else nothing (the spec). */
  end(dispatchIncomplete: boolean): SseMessage | undefined {
    if (!dispatchIncomplete) return undefined;
    this.lineNumber++;
    return this.dispatch();
  }

  private dispatch(): SseMessage | undefined {
    const { data, eventType, retry } = this;
    this.data = '';
    this.eventType = '';
    this.retry = undefined;
    if (data === '') return undefined;
    const message: SseMessage = eventType === '' ? { data: '', line: this.lineNumber } : { event: eventType, data: '', line: this.lineNumber };
    message.data = data.slice(0, -1);
    if (this.lastEventId !== '') message.id = this.lastEventId;
    if (retry !== undefined) message.retry = retry;
    return message;
  }
}
