/**
 * Incremental decoding of an `application/vnd.amazon.eventstream` body: frames are cut out of
 * the byte stream however the transport chunked it, both CRCs checked, and the headers parsed.
 * A frame that lies whole inside one chunk of a body whose chunks are never written to again is
 * read in place (a view, no copy); a frame that spans chunks is assembled in its own buffer.
 */
import { EventStreamCodec, type Message, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { InternalStreamFailure } from '../errors/service-errors.js';
import { ResponseTooLargeError } from '../errors/client-errors.js';
import { DEFAULT_MAX_EVENT_STREAM_FRAME_BYTES, DEFAULT_MAX_EVENT_STREAM_HEADERS_BYTES } from '../defaults.js';
import type { ResponseMetadata } from '../errors/sagemaker-runtime-error.js';
import { Crc32 } from '@smithy/core/checksum';

/**
 * smithy's `Crc32` (what `EventStreamCodec` checks frames with): node:zlib's native `crc32` where
 * the runtime has it (Node ≥ 20.15 / 22.2), a table-driven JavaScript CRC elsewhere. One
 * instance, reset before each sum (everything here is synchronous).
 */
const checksum = new Crc32();

/** One decoded event-stream message: typed headers and the raw payload. */
export type EventStreamMessage = Message;

/**
 * The `code` of the `InternalStreamFailure` the decoder reports, by cause. The name stays the
 * AWS one (a broken stream is what the service's own `InternalStreamFailure` means to a caller);
 * `code` says what exactly was wrong with the bytes.
 */
export const EVENT_STREAM_ERROR_CODES = {
  /** The body ended inside a frame. */
  truncated: 'EVENT_STREAM_TRUNCATED',
  /** The prelude CRC (bytes 8–11) does not match bytes 0–7. */
  preludeCrc: 'EVENT_STREAM_PRELUDE_CRC',
  /** The message CRC (last 4 bytes) does not match the rest of the frame. */
  messageCrc: 'EVENT_STREAM_MESSAGE_CRC',
  /** Impossible lengths, unparsable headers, or a message without the headers SageMaker always sends. */
  malformed: 'EVENT_STREAM_MALFORMED',
} as const;

/** One of the `code`s in {@link EVENT_STREAM_ERROR_CODES}. */
export type EventStreamErrorCode = (typeof EVENT_STREAM_ERROR_CODES)[keyof typeof EVENT_STREAM_ERROR_CODES];

/** `total_length` + `headers_length` + `prelude_crc`. */
const PRELUDE_LENGTH = 12;
/** The prelude plus the trailing message CRC: a frame with no headers and no payload. */
const MINIMUM_MESSAGE_LENGTH = 16;

/** Options of {@link decodeEventStream}. */
export interface DecodeEventStreamOptions {
  /** Copied onto every error the decoder reports (HTTP status and request id of the response). */
  $metadata?: ResponseMetadata;
  /** The largest `total_length` accepted, in bytes. @default DEFAULT_MAX_EVENT_STREAM_FRAME_BYTES */
  maxFrameBytes?: number;
  /** The largest `headers_length` accepted, in bytes. @default DEFAULT_MAX_EVENT_STREAM_HEADERS_BYTES */
  maxHeadersBytes?: number;
}

/** Builds the decoder's typed error: an `InternalStreamFailure` whose `code` names the cause. */
export function eventStreamFailure(
  code: EventStreamErrorCode,
  message: string,
  $metadata?: ResponseMetadata,
  cause?: unknown,
): InternalStreamFailure {
  return new InternalStreamFailure({ message, code, $metadata, cause, $fault: 'server' });
}

/** Options of {@link EventStreamDecoder}. */
export interface EventStreamDecoderOptions extends DecodeEventStreamOptions {
  /**
   * The chunks pushed are fresh memory that nothing writes to after handing them over (undici's
   * socket reads): a frame inside one chunk is then read in place, and a payload is a view of the
   * chunk. Otherwise each frame is copied out first, so a caller never sees its bytes change.
   */
  freshChunks?: boolean;
}

/**
 * Decodes an event-stream body pushed chunk by chunk: {@link push} a chunk, then call
 * {@link next} until it returns `undefined`, then push the next chunk; {@link end} at the end
 * of the body. Everything is synchronous, so a caller iterating the body pays no Promise per
 * message. Frames complete in order; a bad frame throws from the `next()` that reaches it,
 * after every good frame before it was returned.
 *
 * Chunk boundaries are arbitrary: a chunk may hold several frames, part of one, or the end of
 * one and the start of the next. Each frame's prelude CRC is checked as soon as its 12 bytes
 * have arrived (before its length is trusted); the message CRC once the frame is complete.
 */
export class EventStreamDecoder {
  readonly #metadata: ResponseMetadata | undefined;
  readonly #maxFrame: number;
  readonly #maxHeaders: number;
  readonly #fresh: boolean;
  #chunk: Uint8Array | undefined;
  #offset = 0;
  /** A prelude that spans chunks. */
  readonly #prelude = new Uint8Array(PRELUDE_LENGTH);
  #preludeFilled = 0;
  /** A frame that spans chunks, and how much of it has arrived. */
  #frame: Uint8Array | undefined;
  #frameFilled = 0;
  /** The last frame's headers section (a copy) and what it parsed to: SageMaker repeats it. */
  #lastHeaderBytes: Uint8Array | undefined;
  #lastHeaders: MessageHeaders | undefined;
  #codec: EventStreamCodec | undefined;

  constructor(options: EventStreamDecoderOptions = {}) {
    this.#metadata = options.$metadata;
    this.#maxFrame = options.maxFrameBytes ?? DEFAULT_MAX_EVENT_STREAM_FRAME_BYTES;
    this.#maxHeaders = options.maxHeadersBytes ?? DEFAULT_MAX_EVENT_STREAM_HEADERS_BYTES;
    this.#fresh = options.freshChunks === true;
  }

  /** Hands over the next chunk of the body; the previous one must have been read to `undefined`. */
  push(chunk: Uint8Array): void {
    this.#chunk = chunk;
    this.#offset = 0;
  }

  /**
   * The next complete message, or `undefined` when the chunks pushed so far hold no more.
   *
   * @throws InternalStreamFailure with `code` from {@link EVENT_STREAM_ERROR_CODES}: a CRC
   *   mismatch, impossible lengths or unparsable headers.
   * @throws ResponseTooLargeError (`subject: 'frame'`) when a prelude announces a frame or a
   *   headers section over the caps: checked before the frame is allocated.
   */
  next(): EventStreamMessage | undefined {
    for (;;) {
      const chunk = this.#chunk;
      if (chunk === undefined) return undefined;
      const offset = this.#offset;
      const available = chunk.length - offset;
      if (available === 0) {
        this.#chunk = undefined;
        return undefined;
      }
      let frame = this.#frame;
      if (frame === undefined) {
        if (this.#preludeFilled === 0 && available >= PRELUDE_LENGTH) {
          const totalLength = this.#checkPrelude(chunk, offset);
          if (available >= totalLength) {
            // The whole frame is in this chunk: in place when the chunk is never reused, else a copy.
            this.#offset = offset + totalLength;
            const bytes = this.#fresh ? new Uint8Array(chunk.buffer, chunk.byteOffset + offset, totalLength) : chunk.slice(offset, offset + totalLength);
            return this.#decode(bytes);
          }
          frame = this.#frame = new Uint8Array(totalLength);
          frame.set(offset === 0 ? chunk : chunk.subarray(offset));
          this.#frameFilled = available;
          this.#chunk = undefined;
          return undefined;
        }
        // A prelude split over chunks: gather its 12 bytes first.
        const n = Math.min(PRELUDE_LENGTH - this.#preludeFilled, available);
        this.#prelude.set(chunk.subarray(offset, offset + n), this.#preludeFilled);
        this.#preludeFilled += n;
        this.#offset = offset + n;
        if (this.#preludeFilled < PRELUDE_LENGTH) continue;
        this.#preludeFilled = 0;
        frame = this.#frame = new Uint8Array(this.#checkPrelude(this.#prelude, 0));
        frame.set(this.#prelude);
        this.#frameFilled = PRELUDE_LENGTH;
        continue;
      }
      const n = Math.min(frame.length - this.#frameFilled, available);
      frame.set(n === chunk.length ? chunk : chunk.subarray(offset, offset + n), this.#frameFilled);
      this.#frameFilled += n;
      this.#offset = offset + n;
      if (this.#frameFilled === frame.length) {
        this.#frame = undefined;
        return this.#decode(frame);
      }
    }
  }

  /**
   * The body has ended: throws if it ended inside a frame.
   *
   * @throws InternalStreamFailure `truncated event stream: body ended inside a frame (N of M bytes)`.
   */
  end(): void {
    if (this.#frame !== undefined) {
      throw eventStreamFailure(
        EVENT_STREAM_ERROR_CODES.truncated,
        `truncated event stream: body ended inside a frame (${this.#frameFilled} of ${this.#frame.length} bytes)`,
        this.#metadata,
      );
    }
    const partial = this.#preludeFilled;
    if (partial > 0) {
      throw eventStreamFailure(
        EVENT_STREAM_ERROR_CODES.truncated,
        `truncated event stream: body ended inside a frame (${partial} of at least ${MINIMUM_MESSAGE_LENGTH} bytes)`,
        this.#metadata,
      );
    }
  }

  /** Checks the prelude at `at` (CRC first, so a corrupted length is never trusted) and returns `total_length`. */
  #checkPrelude(bytes: Uint8Array, at: number): number {
    const totalLength = readUint32(bytes, at);
    const headersLength = readUint32(bytes, at + 4);
    const expectedCrc = readUint32(bytes, at + 8);
    checksum.reset();
    checksum.update(new Uint8Array(bytes.buffer, bytes.byteOffset + at, 8));
    const actualCrc = checksum.digestSync();
    if (actualCrc !== expectedCrc) {
      throw eventStreamFailure(
        EVENT_STREAM_ERROR_CODES.preludeCrc,
        `event stream prelude CRC mismatch: expected ${hex(expectedCrc)}, computed ${hex(actualCrc)}`,
        this.#metadata,
      );
    }
    if (totalLength < MINIMUM_MESSAGE_LENGTH || headersLength > totalLength - MINIMUM_MESSAGE_LENGTH) {
      throw eventStreamFailure(
        EVENT_STREAM_ERROR_CODES.malformed,
        `malformed event stream frame: total_length ${totalLength}, headers_length ${headersLength}`,
        this.#metadata,
      );
    }
    // A CRC-valid prelude may still announce gigabytes: refuse before allocating.
    if (totalLength > this.#maxFrame || headersLength > this.#maxHeaders) {
      const [what, size, limit] = totalLength > this.#maxFrame ? ['frame', totalLength, this.#maxFrame] : ['frame headers section', headersLength, this.#maxHeaders];
      throw new ResponseTooLargeError({ subject: 'frame', limit, size, $metadata: this.#metadata, message: `event stream ${what} of ${size} bytes is over the ${limit}-byte cap; reading stopped` });
    }
    return totalLength;
  }

  /** A complete frame whose prelude was checked: message CRC, headers, payload. */
  #decode(frame: Uint8Array): EventStreamMessage {
    const total = frame.length;
    const headersEnd = PRELUDE_LENGTH + readUint32(frame, 4);
    checksum.reset();
    checksum.update(new Uint8Array(frame.buffer, frame.byteOffset, total - 4));
    const actual = checksum.digestSync();
    const expected = readUint32(frame, total - 4);
    if (actual !== expected) {
      throw eventStreamFailure(
        EVENT_STREAM_ERROR_CODES.messageCrc,
        `event stream message CRC mismatch: expected ${hex(expected)}, computed ${hex(actual)}`,
        this.#metadata,
      );
    }
    const body = new Uint8Array(frame.buffer, frame.byteOffset + headersEnd, total - 4 - headersEnd);
    return { headers: this.#headers(frame, headersEnd), body };
  }

  #headers(frame: Uint8Array, headersEnd: number): MessageHeaders {
    const length = headersEnd - PRELUDE_LENGTH;
    const last = this.#lastHeaderBytes;
    if (last !== undefined && last.length === length && sameBytes(last, frame, PRELUDE_LENGTH)) return this.#lastHeaders!;
    let headers: MessageHeaders | undefined;
    try {
      headers = parseHeaders(frame, PRELUDE_LENGTH, headersEnd);
      // Longs, timestamps and UUIDs (never sent by SageMaker): smithy's own parser builds its value types.
      headers ??= (this.#codec ??= new EventStreamCodec(toUtf8, fromUtf8)).decode(frame).headers;
    } catch (cause) {
      const text = cause instanceof Error ? cause.message : String(cause);
      throw eventStreamFailure(EVENT_STREAM_ERROR_CODES.malformed, `malformed event stream frame: ${text}`, this.#metadata, cause);
    }
    // Shared by every message with the same headers section, so frozen.
    for (const name in headers) Object.freeze(headers[name]);
    Object.freeze(headers);
    this.#lastHeaderBytes = frame.slice(PRELUDE_LENGTH, headersEnd);
    this.#lastHeaders = headers;
    return headers;
  }
}

/**
 * Decodes an event-stream body into messages, one per frame, as the frames complete (an async
 * iterable over {@link EventStreamDecoder}). Stopping the iteration early returns the body's
 * iterator, which lets the transport release the socket.
 *
 * @throws InternalStreamFailure with `code` from {@link EVENT_STREAM_ERROR_CODES}: a CRC
 *   mismatch, impossible lengths, unparsable headers, or a body that ends inside a frame
 *   (`truncated event stream: body ended inside a frame (N of M bytes)`). Errors the body
 *   itself throws (a reset socket) are passed through unchanged.
 * @throws ResponseTooLargeError (`subject: 'frame'`) when a prelude announces a frame or a
 *   headers section over the caps: checked before the frame is allocated.
 */
export async function* decodeEventStream(
  body: AsyncIterable<Uint8Array>,
  options: EventStreamDecoderOptions = {},
): AsyncGenerator<EventStreamMessage, void, undefined> {
  const decoder = new EventStreamDecoder(options);
  for await (const chunk of body) {
    decoder.push(chunk);
    for (let message = decoder.next(); message !== undefined; message = decoder.next()) yield message;
  }
  decoder.end();
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

function sameBytes(copy: Uint8Array, frame: Uint8Array, at: number): boolean {
  for (let i = 0; i < copy.length; i++) if (copy[i] !== frame[at + i]) return false;
  return true;
}

/**
 * Parses a headers section of booleans, bytes, shorts, integers, byte arrays and strings (what
 * SageMaker sends) into smithy's `MessageHeaders` shape; `undefined` when it holds another type.
 *
 * @throws Error when a name or value runs past the section, or a type tag is unknown.
 */
function parseHeaders(frame: Uint8Array, start: number, end: number): MessageHeaders | undefined {
  const headers: MessageHeaders = {};
  let at = start;
  const need = (n: number): void => {
    if (at + n > end) throw new Error('a header runs past the headers section');
  };
  while (at < end) {
    const nameLength = frame[at++]!;
    need(nameLength + 1);
    const name = utf8(frame, at, nameLength);
    at += nameLength;
    const tag = frame[at++]!;
    switch (tag) {
      case 0:
      case 1:
        headers[name] = { type: 'boolean', value: tag === 0 };
        break;
      case 2:
        need(1);
        headers[name] = { type: 'byte', value: (frame[at++]! << 24) >> 24 };
        break;
      case 3:
        need(2);
        headers[name] = { type: 'short', value: ((frame[at]! << 24) | (frame[at + 1]! << 16)) >> 16 };
        at += 2;
        break;
      case 4:
        need(4);
        headers[name] = { type: 'integer', value: readUint32(frame, at) | 0 };
        at += 4;
        break;
      case 6:
      case 7: {
        need(2);
        const length = (frame[at]! << 8) | frame[at + 1]!;
        at += 2;
        need(length);
        headers[name] =
          tag === 7 ? { type: 'string', value: utf8(frame, at, length) } : { type: 'binary', value: frame.slice(at, at + length) };
        at += length;
        break;
      }
      case 5:
      case 8:
      case 9:
        return undefined;
      default:
        throw new Error('Unrecognized header type tag');
    }
  }
  return headers;
}

function utf8(bytes: Uint8Array, at: number, length: number): string {
  return toUtf8(new Uint8Array(bytes.buffer, bytes.byteOffset + at, length));
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
