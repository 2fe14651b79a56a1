/**
 * Incremental decoding of an `application/vnd.amazon.eventstream` body: frames
 * are cut out of the byte stream however the transport chunked it, then decoded and CRC-checked
 * by `@smithy/eventstream-codec`.
 */
import { EventStreamCodec, type Message } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { InternalStreamFailure } from '../errors/service-errors.js';
import { ResponseTooLargeError } from '../errors/client-errors.js';
import { DEFAULT_MAX_EVENT_STREAM_FRAME_BYTES, DEFAULT_MAX_EVENT_STREAM_HEADERS_BYTES } from '../defaults.js';
import type { ResponseMetadata } from '../errors/sagemaker-runtime-error.js';
import { Crc32 } from '@smithy/core/checksum';

/**
 * CRC-32 of the prelude, with smithy's own `Crc32` (what `EventStreamCodec` checks frames with;
 * native zlib where available). The codec checks both CRCs of a whole frame, but only once
 * `total_length` bytes are buffered; the prelude is checked first so that a corrupted length is
 * never trusted (or allocated).
 */
function crc32(bytes: Uint8Array): number {
  const checksum = new Crc32();
  checksum.update(bytes);
  return checksum.digestSync();
}

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

/**
 * Decodes an event-stream body into messages, one per frame, as the frames complete.
 *
 * Chunk boundaries are arbitrary: a chunk may hold several frames, part of one, or the end of
 * one and the start of the next. Each frame's prelude CRC is checked as soon as its 12 bytes
 * have arrived (before its length is trusted), and the whole frame is decoded by
 * `EventStreamCodec`, which checks both CRCs. Stopping the iteration early returns the body's
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
  options: DecodeEventStreamOptions = {},
): AsyncGenerator<EventStreamMessage, void, undefined> {
  const { $metadata } = options;
  const caps = { frame: options.maxFrameBytes ?? DEFAULT_MAX_EVENT_STREAM_FRAME_BYTES, headers: options.maxHeadersBytes ?? DEFAULT_MAX_EVENT_STREAM_HEADERS_BYTES };
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const prelude = new Uint8Array(PRELUDE_LENGTH);
  const preludeView = new DataView(prelude.buffer);
  let preludeFilled = 0;
  let frame: Uint8Array | undefined;
  let frameFilled = 0;

  for await (const chunk of body) {
    let offset = 0;
    while (offset < chunk.length) {
      if (frame === undefined) {
        const n = Math.min(PRELUDE_LENGTH - preludeFilled, chunk.length - offset);
        prelude.set(chunk.subarray(offset, offset + n), preludeFilled);
        preludeFilled += n;
        offset += n;
        if (preludeFilled < PRELUDE_LENGTH) break;
        preludeFilled = 0;
        frame = allocateFrame(prelude, preludeView, caps, $metadata);
        frameFilled = PRELUDE_LENGTH;
      }
      const n = Math.min(frame.length - frameFilled, chunk.length - offset);
      frame.set(chunk.subarray(offset, offset + n), frameFilled);
      frameFilled += n;
      offset += n;
      if (frameFilled === frame.length) {
        const complete = frame;
        frame = undefined;
        yield decodeFrame(codec, complete, $metadata);
      }
    }
  }

  if (frame !== undefined) {
    throw eventStreamFailure(
      EVENT_STREAM_ERROR_CODES.truncated,
      `truncated event stream: body ended inside a frame (${frameFilled} of ${frame.length} bytes)`,
      $metadata,
    );
  }
  if (preludeFilled > 0) {
    throw eventStreamFailure(
      EVENT_STREAM_ERROR_CODES.truncated,
      `truncated event stream: body ended inside a frame (${preludeFilled} of at least ${MINIMUM_MESSAGE_LENGTH} bytes)`,
      $metadata,
    );
  }
}

/** Checks a complete prelude and returns a buffer for the whole frame, prelude copied in. */
function allocateFrame(prelude: Uint8Array, view: DataView, caps: { frame: number; headers: number }, $metadata: ResponseMetadata | undefined): Uint8Array {
  const totalLength = view.getUint32(0, false);
  const headersLength = view.getUint32(4, false);
  const expectedCrc = view.getUint32(8, false);
  const actualCrc = crc32(prelude.subarray(0, 8));
  if (actualCrc !== expectedCrc) {
    throw eventStreamFailure(
      EVENT_STREAM_ERROR_CODES.preludeCrc,
      `event stream prelude CRC mismatch: expected ${hex(expectedCrc)}, computed ${hex(actualCrc)}`,
      $metadata,
    );
  }
  if (totalLength < MINIMUM_MESSAGE_LENGTH || headersLength > totalLength - MINIMUM_MESSAGE_LENGTH) {
    throw eventStreamFailure(
      EVENT_STREAM_ERROR_CODES.malformed,
      `malformed event stream frame: total_length ${totalLength}, headers_length ${headersLength}`,
      $metadata,
    );
  }
  // A CRC-valid prelude may still announce gigabytes: refuse before allocating.
  if (totalLength > caps.frame || headersLength > caps.headers) {
    const [what, size, limit] = totalLength > caps.frame ? ['frame', totalLength, caps.frame] : ['frame headers section', headersLength, caps.headers];
    throw new ResponseTooLargeError({ subject: 'frame', limit, size, $metadata, message: `event stream ${what} of ${size} bytes is over the ${limit}-byte cap; reading stopped` });
  }
  const frame = new Uint8Array(totalLength);
  frame.set(prelude);
  return frame;
}

function decodeFrame(codec: EventStreamCodec, frame: Uint8Array, $metadata: ResponseMetadata | undefined): EventStreamMessage {
  try {
    return codec.decode(frame);
  } catch (cause) {
    const text = cause instanceof Error ? cause.message : String(cause);
    const code = /message checksum/i.test(text) ? EVENT_STREAM_ERROR_CODES.messageCrc : EVENT_STREAM_ERROR_CODES.malformed;
    const what = code === EVENT_STREAM_ERROR_CODES.messageCrc ? 'event stream message CRC mismatch' : 'malformed event stream frame';
    throw eventStreamFailure(code, `${what}: ${text}`, $metadata, cause);
  }
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
