/**
 * The event-stream decoder against smithy's own codec: for random frames (every header type,
 * random payloads) cut into random chunks, it yields exactly what `EventStreamCodec.decode` gives
 * for each frame, whether it reads chunks in place or copies them; and a flipped byte anywhere
 * is caught by a CRC after every good frame before it.
 */
import fc from 'fast-check';
import { EventStreamCodec, Int64, type Message, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { EVENT_STREAM_ERROR_CODES, EventStreamDecoder, type EventStreamMessage } from '../../src/protocol/event-stream.js';
import { InternalStreamFailure } from '../../src/errors/service-errors.js';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

const headerValue = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map((value) => ({ type: 'string' as const, value })) },
  { weight: 1, arbitrary: fc.boolean().map((value) => ({ type: 'boolean' as const, value })) },
  { weight: 1, arbitrary: fc.integer({ min: -128, max: 127 }).map((value) => ({ type: 'byte' as const, value })) },
  { weight: 1, arbitrary: fc.integer({ min: -32768, max: 32767 }).map((value) => ({ type: 'short' as const, value })) },
  { weight: 1, arbitrary: fc.integer().map((value) => ({ type: 'integer' as const, value })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((value) => ({ type: 'binary' as const, value })) },
  // Types SageMaker never sends: the decoder hands these frames to smithy's parser.
  { weight: 1, arbitrary: fc.integer({ min: -1e12, max: 1e12 }).map((n) => ({ type: 'long' as const, value: Int64.fromNumber(n) })) },
  { weight: 1, arbitrary: fc.uuid().map((value) => ({ type: 'uuid' as const, value })) },
);

const headerName = fc.string({ minLength: 1, maxLength: 20 }).filter((n) => fromUtf8(n).length <= 255);
const headers: fc.Arbitrary<MessageHeaders> = fc.dictionary(headerName, headerValue, { maxKeys: 5 });
const payloadPart = fc.uint8Array({ maxLength: 300 }).map(
  (body): Message => ({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: 'PayloadPart' },
      ':content-type': { type: 'string', value: 'application/octet-stream' },
    },
    body,
  }),
);
// Mostly repeated SageMaker-like header sections (the decoder's cache), some arbitrary ones.
const message = fc.oneof({ weight: 2, arbitrary: payloadPart }, { weight: 1, arbitrary: fc.record({ headers, body: fc.uint8Array({ maxLength: 300 }) }) });

/** Cuts `bytes` at the given fractions of its length. */
function cut(bytes: Uint8Array, fractions: number[]): Uint8Array[] {
  const offsets = [0, ...fractions.map((f) => Math.floor(f * bytes.length)).sort((a, b) => a - b), bytes.length];
  // Each piece in its own buffer, as a transport would hand them over.
  return offsets.slice(1).map((end, i) => bytes.slice(offsets[i], end));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function decodeAll(chunks: Uint8Array[], freshChunks: boolean): { messages: EventStreamMessage[]; error?: unknown } {
  const decoder = new EventStreamDecoder({ freshChunks, $metadata: { httpStatusCode: 200, requestId: 'r' } });
  const messages: EventStreamMessage[] = [];
  try {
    for (const chunk of chunks) {
      decoder.push(chunk);
      for (let m = decoder.next(); m !== undefined; m = decoder.next()) messages.push(m);
    }
    decoder.end();
    return { messages };
  } catch (error) {
    return { messages, error };
  }
}

/** Plain data for comparison: smithy's header objects and byte views as values. */
const plain = (m: EventStreamMessage) => ({ headers: JSON.parse(JSON.stringify(m.headers, (_k, v: unknown) => (v instanceof Int64 ? `long:${v.toString()}` : v instanceof Uint8Array ? Array.from(v) : v))) as unknown, body: Array.from(m.body) });

describe('EventStreamDecoder (property)', () => {
  it('yields what smithy decodes for every frame, for any chunking, in place or copied', () => {
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 8 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }), fc.boolean(), (messages, fractions, freshChunks) => {
        const frames = messages.map((m) => codec.encode(m));
        const expected = frames.map((f) => plain(codec.decode(f)));
        const { messages: got, error } = decodeAll(cut(concat(frames), fractions), freshChunks);
        expect(error).toBeUndefined();
        expect(got.map(plain)).toEqual(expected);
      }),
      { numRuns: 1500 },
    );
  });

  it('catches a flipped byte anywhere by a CRC, after every good frame before it', () => {
    fc.assert(
      fc.property(
        fc.array(payloadPart, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        fc.boolean(),
        (messages, where, mask, fractions, freshChunks) => {
          const frames = messages.map((m) => codec.encode(m));
          const bytes = concat(frames);
          const at = where % bytes.length;
          bytes[at]! ^= mask;
          // The frame holding the flipped byte.
          let frameIndex = 0;
          for (let end = frames[0]!.length; end <= at; end += frames[frameIndex]!.length) frameIndex += 1;
          const { messages: got, error } = decodeAll(cut(bytes, fractions), freshChunks);
          expect(got.map(plain)).toEqual(frames.slice(0, frameIndex).map((f) => plain(codec.decode(f))));
          expect(error).toBeInstanceOf(InternalStreamFailure);
          expect([EVENT_STREAM_ERROR_CODES.preludeCrc, EVENT_STREAM_ERROR_CODES.messageCrc]).toContain((error as InternalStreamFailure).code);
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe('EventStreamDecoder: payload memory', () => {
  const frames = [fromUtf8('first'), fromUtf8('second')].map((body) => codec.encode({ headers: { ':message-type': { type: 'string', value: 'event' } }, body }));
  const chunk = () => concat(frames);

  it('copies frames out of chunks that are not marked fresh: writing to the chunk later changes nothing', () => {
    const input = chunk();
    const { messages } = decodeAll([input], false);
    input.fill(0);
    expect(messages.map((m) => toUtf8(m.body))).toEqual(['first', 'second']);
  });

  it('reads a frame inside a fresh chunk in place (a view of that chunk, no copy)', () => {
    const input = chunk();
    const { messages } = decodeAll([input], true);
    expect(messages.map((m) => m.body.buffer)).toEqual([input.buffer, input.buffer]);
    expect(messages.map((m) => toUtf8(m.body))).toEqual(['first', 'second']);
  });

  it('gives a frame that spans chunks its own buffer, even from fresh chunks', () => {
    const input = chunk();
    const pieces = [input.slice(0, 10), input.slice(10)];
    const { messages } = decodeAll(pieces, true);
    expect(messages[0]!.body.buffer).not.toBe(pieces[0]!.buffer);
    expect(messages[0]!.body.buffer).not.toBe(pieces[1]!.buffer);
    expect(messages.map((m) => toUtf8(m.body))).toEqual(['first', 'second']);
  });

  it('shares one frozen headers object between frames with the same header bytes', () => {
    const { messages } = decodeAll([chunk()], true);
    expect(messages[0]!.headers).toBe(messages[1]!.headers);
    expect(Object.isFrozen(messages[0]!.headers)).toBe(true);
    expect(Object.isFrozen(messages[0]!.headers[':message-type'])).toBe(true);
  });

  it('reports a header that runs past its section as malformed, with valid CRCs', () => {
    // A string header announcing 200 bytes in a 20-byte section.
    const section = new Uint8Array([1, 0x61, 7, 0, 200, ...new Uint8Array(15)]);
    const total = 12 + section.length + 4;
    const frame = new Uint8Array(total);
    const view = new DataView(frame.buffer);
    view.setUint32(0, total);
    view.setUint32(4, section.length);
    const { crc32 } = require('node:zlib') as typeof import('node:zlib');
    view.setUint32(8, crc32(frame.subarray(0, 8)));
    frame.set(section, 12);
    view.setUint32(total - 4, crc32(frame.subarray(0, total - 4)));
    const { error } = decodeAll([frame], true);
    expect(error).toMatchObject({ name: 'InternalStreamFailure', code: EVENT_STREAM_ERROR_CODES.malformed });
  });
});
