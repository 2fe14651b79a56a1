/**
 * The machinery shared by the reframing operators (`lines`, `jsonLines`, `serverSentEvents`,
 * `textDeltas`): per-attempt state, UTF-8 decoding across chunk boundaries, line splitting, and
 * ending an invocation when a record cannot be parsed. Internal: the operators are the API.
 */
import { defer, mergeMap, takeWhile, type Observable, type OperatorFunction } from 'rxjs';
import type { InvokeChunkEvent, InvokeErrorEvent } from '../../events/invoke-event.js';
import { errorEvent } from '../../events/guards.js';
import { isStreamParseError } from './reframe-error.js';

/** What the reframing operators read of every event. */
export interface ReframeableEvent {
  type: string;
  attempt: number;
  timestamp: number;
}

/** The events a reframing operator emits: the input without `chunk` events, plus its own and a parse `error`. */
export type Reframed<E, R> = Exclude<E, { type: 'chunk' }> | R | InvokeErrorEvent;

/** The per-attempt state of a reframing operator. */
export interface ChunkReframer<R> {
  /** Takes a chunk's bytes, pushes what they complete onto `out`. May throw `StreamParseError` after pushing. */
  chunk(event: InvokeChunkEvent, out: R[]): void;
  /** The stream ended well (its `response` follows): pushes what was still buffered. May throw `StreamParseError`. */
  end(event: ReframeableEvent, out: R[]): void;
}

/**
 * Builds a reframing operator: `chunk` events go to a fresh reframer per attempt (a `sent` event
 * starts a new one, so a retried stream never mixes bytes of two attempts); its output replaces
 * them; every other event passes through unchanged, in order. A `StreamParseError` thrown by the
 * reframer becomes an `error` event after the records before it, and ends the stream (which
 * unsubscribes upstream: the request is aborted). Anything else thrown is a defect and goes to
 * the error channel. After an `error` event from upstream, buffered partial text is dropped.
 */
export function reframeChunks<R>(create: () => ChunkReframer<R>) {
  return <E extends ReframeableEvent>(source: Observable<E>): Observable<Reframed<E, R>> =>
    defer(() => {
      let reframer = create();
      let stop: InvokeErrorEvent | undefined;
      return source.pipe(
        mergeMap((e): Array<Reframed<E, R>> => {
          const out: Array<Reframed<E, R>> = [];
          try {
            switch (e.type) {
              case 'sent':
                reframer = create();
                out.push(e as Reframed<E, R>);
                break;
              case 'chunk':
                reframer.chunk(e as unknown as InvokeChunkEvent, out as R[]);
                break;
              case 'response':
                reframer.end(e, out as R[]);
                out.push(e as Reframed<E, R>);
                break;
              case 'error':
                reframer = create();
                out.push(e as Reframed<E, R>);
                break;
              default:
                out.push(e as Reframed<E, R>);
            }
          } catch (err) {
            if (!isStreamParseError(err)) throw err;
            stop = errorEvent(err, e.attempt, e.timestamp);
            out.push(stop);
          }
          return out;
        }),
        takeWhile((e) => e !== stop, true),
      );
    }) as Observable<Reframed<E, R>>;
}

/** The type of a reframing operator, generic in the events it is piped onto. */
export type ReframingOperator<R> = <E extends ReframeableEvent>(source: Observable<E>) => Observable<Reframed<E, R>>;

/** Which line terminators end a line. */
export type LineTerminators = 'lf' | 'any';

/**
 * Decodes UTF-8 bytes across chunk boundaries (a character split between two chunks is decoded
 * once both halves are here) and splits the text into lines. `lf`: `\n` and `\r\n` (JSON Lines,
 * text); `any`: also a lone `\r` (the SSE spec). A leading byte-order mark is dropped; invalid
 * UTF-8 becomes U+FFFD.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';
  /** How far `pending` has been searched for a terminator. */
  private scanned = 0;

  constructor(private readonly terminators: LineTerminators = 'lf') {}

  /** Decodes `bytes` and returns the lines they complete, without their terminators. */
  push(bytes: Uint8Array): string[] {
    return this.split(this.decoder.decode(bytes, { stream: true }), false);
  }

  /** Flushes the decoder and returns the last line if it had no terminator. */
  end(): string[] {
    return this.split(this.decoder.decode(), true);
  }

  private split(text: string, final: boolean): string[] {
    const lines: string[] = [];
    this.pending += text;
    let start = 0;
    let i = this.scanned;
    const s = this.pending;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 10 /* \n */) {
        const end = this.terminators === 'lf' && i > start && s.charCodeAt(i - 1) === 13 ? i - 1 : i;
        lines.push(s.slice(start, end));
        start = i + 1;
      } else if (c === 13 /* \r */ && this.terminators === 'any') {
        if (i + 1 === s.length && !final) break; // a \n may follow in the next chunk
        lines.push(s.slice(start, i));
        if (s.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
    }
    this.pending = s.slice(start);
    this.scanned = i - start;
    if (final) {
      if (this.pending !== '') lines.push(this.pending);
      this.pending = '';
      this.scanned = 0;
    }
    return lines;
  }
}
