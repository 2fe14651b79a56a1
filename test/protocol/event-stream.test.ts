import { crc32 as zlibCrc32 } from 'node:zlib';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { decodeEventStream, EVENT_STREAM_ERROR_CODES, type EventStreamMessage } from '../../src/protocol/event-stream.js';
import { readResponseStreamMessage } from '../../src/protocol/event-stream-message.js';
import { InternalStreamFailure, ModelStreamError, ServiceError } from '../../src/errors/service-errors.js';
import { SageMakerRuntimeError } from '../../src/errors/sagemaker-runtime-error.js';

// A frame encoder written from the spec, independent of the codec under test:
// string headers only (tag 7), big-endian lengths, CRC-32 from node:zlib.
function frame(headers: Record<string, string>, body: Uint8Array | string = new Uint8Array()): Uint8Array {
  const payload = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const headerParts: number[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = new TextEncoder().encode(name);
    const v = new TextEncoder().encode(value);
    headerParts.push(n.length, ...n, 7, v.length >> 8, v.length & 0xff, ...v);
  }
  const total = 12 + headerParts.length + payload.length + 4;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, total);
  view.setUint32(4, headerParts.length);
  view.setUint32(8, zlibCrc32(out.subarray(0, 8)));
  out.set(headerParts, 12);
  out.set(payload, 12 + headerParts.length);
  view.setUint32(total - 4, zlibCrc32(out.subarray(0, total - 4)));
  return out;
}

const payloadPart = (text: string) =>
  frame({ ':message-type': 'event', ':event-type': 'PayloadPart', ':content-type': 'application/octet-stream' }, text);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

async function* chunks(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield p;
}

/** Splits `bytes` at the given offsets. */
function splitAt(bytes: Uint8Array, ...offsets: number[]): Uint8Array[] {
  const cuts = [0, ...offsets, bytes.length];
  return cuts.slice(1).map((end, i) => bytes.subarray(cuts[i], end));
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<{ messages: EventStreamMessage[]; error?: unknown }> {
  const messages: EventStreamMessage[] = [];
  try {
    for await (const m of decodeEventStream(body, { $metadata: { httpStatusCode: 200, requestId: 'req-1' } })) messages.push(m);
    return { messages };
  } catch (error) {
    return { messages, error };
  }
}

const text = (m: EventStreamMessage) => toUtf8(m.body);

describe('decodeEventStream', () => {
  it('decodes a good frame: its string headers and its payload', async () => {
    const { messages, error } = await collect(chunks(payloadPart('hello')));
    expect(error).toBeUndefined();
    expect(messages).toHaveLength(1);
    expect(messages[0]!.headers[':message-type']).toEqual({ type: 'string', value: 'event' });
    expect(messages[0]!.headers[':event-type']).toEqual({ type: 'string', value: 'PayloadPart' });
    expect(text(messages[0]!)).toBe('hello');
  });

  it('decodes frames made by the official codec, including non-string headers', async () => {
    const codec = new EventStreamCodec(toUtf8, fromUtf8);
    const encoded = codec.encode({
      headers: {
        ':message-type': { type: 'string', value: 'event' },
        ':event-type': { type: 'string', value: 'PayloadPart' },
        flag: { type: 'boolean', value: true },
        n: { type: 'integer', value: 42 },
      },
      body: fromUtf8('{"a":1}'),
    });
    const { messages } = await collect(chunks(encoded));
    expect(messages.map(text)).toEqual(['{"a":1}']);
    expect(messages[0]!.headers['n']).toEqual({ type: 'integer', value: 42 });
    expect(messages[0]!.headers['flag']).toEqual({ type: 'boolean', value: true });
  });

  it('yields every frame of a chunk that holds several', async () => {
    const { messages, error } = await collect(chunks(concat(payloadPart('a'), payloadPart('bb'), payloadPart('ccc'))));
    expect(error).toBeUndefined();
    expect(messages.map(text)).toEqual(['a', 'bb', 'ccc']);
  });

  it('reassembles a frame split over one-byte chunks', async () => {
    const bytes = concat(payloadPart('split me'), payloadPart('and me'));
    const { messages, error } = await collect(chunks(...Array.from(bytes, (b) => Uint8Array.of(b))));
    expect(error).toBeUndefined();
    expect(messages.map(text)).toEqual(['split me', 'and me']);
  });

  it('gives the same messages for every position of one split and of two splits', async () => {
    const bytes = concat(payloadPart('héllo'), payloadPart(''), payloadPart('wörld'));
    for (let i = 0; i <= bytes.length; i++) {
      const { messages, error } = await collect(chunks(...splitAt(bytes, i)));
      expect({ i, error, texts: messages.map(text) }).toEqual({ i, error: undefined, texts: ['héllo', '', 'wörld'] });
    }
    for (let i = 1; i < bytes.length; i += 3) {
      for (let j = i; j < bytes.length; j += 5) {
        const { messages } = await collect(chunks(...splitAt(bytes, i, j)));
        expect(messages.map(text)).toEqual(['héllo', '', 'wörld']);
      }
    }
  });

  it('ignores empty chunks', async () => {
    const bytes = payloadPart('x');
    const { messages } = await collect(chunks(new Uint8Array(), bytes.subarray(0, 5), new Uint8Array(), bytes.subarray(5), new Uint8Array()));
    expect(messages.map(text)).toEqual(['x']);
  });

  it('yields nothing and throws nothing for an empty body', async () => {
    expect(await collect(chunks())).toEqual({ messages: [] });
  });

  it('rejects a bad prelude CRC with a typed error, after the good frames before it', async () => {
    const bad = payloadPart('bad');
    bad[9] ^= 0xff;
    const { messages, error } = await collect(chunks(concat(payloadPart('good'), bad, payloadPart('never'))));
    expect(messages.map(text)).toEqual(['good']);
    expect(error).toBeInstanceOf(InternalStreamFailure);
    expect(error).toMatchObject({
      name: 'InternalStreamFailure',
      code: EVENT_STREAM_ERROR_CODES.preludeCrc,
      $metadata: { httpStatusCode: 200, requestId: 'req-1' },
    });
    expect((error as Error).message).toMatch(/prelude CRC mismatch/);
  });

  it('rejects a corrupted length field by its prelude CRC, without waiting for or allocating that length', async () => {
    const bad = payloadPart('bad');
    new DataView(bad.buffer).setUint32(0, 0xfffffff0);
    const { messages, error } = await collect(chunks(bad));
    expect(messages).toEqual([]);
    expect(error).toMatchObject({ name: 'InternalStreamFailure', code: EVENT_STREAM_ERROR_CODES.preludeCrc });
  });

  it('rejects a bad message CRC (a flipped payload byte) with a typed error', async () => {
    const bad = payloadPart('payload');
    bad[bad.length - 6] ^= 0x01;
    const { messages, error } = await collect(chunks(payloadPart('first'), bad));
    expect(messages.map(text)).toEqual(['first']);
    expect(error).toMatchObject({ name: 'InternalStreamFailure', code: EVENT_STREAM_ERROR_CODES.messageCrc });
    expect((error as Error).message).toMatch(/message CRC mismatch/);
  });

  it('rejects impossible lengths that carry a valid prelude CRC', async () => {
    const prelude = new Uint8Array(12);
    const view = new DataView(prelude.buffer);
    view.setUint32(0, 20);
    view.setUint32(4, 10); // 10 header bytes cannot fit in a 20-byte frame
    view.setUint32(8, zlibCrc32(prelude.subarray(0, 8)));
    const { error } = await collect(chunks(prelude, new Uint8Array(8)));
    expect(error).toMatchObject({ name: 'InternalStreamFailure', code: EVENT_STREAM_ERROR_CODES.malformed });
  });

  it('reports a body that ends inside a frame as truncated, saying how much arrived', async () => {
    const whole = payloadPart('truncated here');
    const { messages, error } = await collect(chunks(payloadPart('ok'), whole.subarray(0, 30)));
    expect(messages.map(text)).toEqual(['ok']);
    expect(error).toBeInstanceOf(InternalStreamFailure);
    expect(error).toMatchObject({ code: EVENT_STREAM_ERROR_CODES.truncated, retryable: true });
    expect((error as Error).message).toBe(`truncated event stream: body ended inside a frame (30 of ${whole.length} bytes)`);
  });

  it('reports a body that ends inside a prelude as truncated', async () => {
    const { error } = await collect(chunks(payloadPart('ok'), payloadPart('x').subarray(0, 5)));
    expect((error as Error).message).toBe('truncated event stream: body ended inside a frame (5 of at least 16 bytes)');
  });

  it('passes an error of the body itself through unchanged', async () => {
    const reset = new Error('socket reset');
    async function* failing() {
      yield payloadPart('one');
      throw reset;
    }
    const { messages, error } = await collect(failing());
    expect(messages.map(text)).toEqual(['one']);
    expect(error).toBe(reset);
  });

  it('returns the body iterator when the consumer stops early', async () => {
    let returned = false;
    let pulled = 0;
    const body: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          pulled++;
          return { done: false, value: payloadPart(`n${pulled}`) };
        },
        return: async () => {
          returned = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const seen: string[] = [];
    for await (const m of decodeEventStream(body)) {
      seen.push(text(m));
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['n1', 'n2']);
    expect(returned).toBe(true);
    expect(pulled).toBe(2);
  });
});

describe('readResponseStreamMessage', () => {
  const $metadata = { httpStatusCode: 200, requestId: 'req-9' };
  const decodeOne = async (bytes: Uint8Array) => (await collect(chunks(bytes))).messages[0]!;

  it('maps a PayloadPart event to its bytes', async () => {
    const part = readResponseStreamMessage(await decodeOne(payloadPart('tok')), $metadata);
    expect(part.kind).toBe('payload');
    expect(part.kind === 'payload' && toUtf8(part.bytes)).toBe('tok');
  });

  it('skips an event type it does not know', async () => {
    const m = await decodeOne(frame({ ':message-type': 'event', ':event-type': 'FuturePart' }, 'x'));
    expect(readResponseStreamMessage(m, $metadata)).toEqual({ kind: 'skip', eventType: 'FuturePart' });
  });

  it('maps a ModelStreamError exception to a typed, non-retryable error with its ErrorCode and Message', async () => {
    const m = await decodeOne(
      frame(
        { ':message-type': 'exception', ':exception-type': 'ModelStreamError', ':content-type': 'application/json' },
        '{"Message":"Your model primary did not complete sending the inference response in the allotted time.","ErrorCode":"ModelInvocationTimeExceeded"}',
      ),
    );
    const part = readResponseStreamMessage(m, $metadata);
    if (part.kind !== 'error') throw new Error(`expected an error, got ${part.kind}`);
    expect(part.error).toBeInstanceOf(ModelStreamError);
    expect(part.error).toMatchObject({
      name: 'ModelStreamError',
      ErrorCode: 'ModelInvocationTimeExceeded',
      Message: 'Your model primary did not complete sending the inference response in the allotted time.',
      message: 'Your model primary did not complete sending the inference response in the allotted time.',
      retryable: false,
      $fault: 'client',
      $metadata,
    });
  });

  it('reads a lower-case message key too', async () => {
    const m = await decodeOne(frame({ ':message-type': 'exception', ':exception-type': 'ModelStreamError' }, '{"message":"broken","ErrorCode":"StreamBroken"}'));
    const part = readResponseStreamMessage(m);
    expect(part.kind === 'error' && part.error).toMatchObject({ name: 'ModelStreamError', message: 'broken', ErrorCode: 'StreamBroken', Message: undefined });
  });

  it('maps an InternalStreamFailure exception to a retryable server fault', async () => {
    const m = await decodeOne(frame({ ':message-type': 'exception', ':exception-type': 'InternalStreamFailure' }, '{"Message":"oops"}'));
    const part = readResponseStreamMessage(m, $metadata);
    expect(part.kind === 'error' && part.error).toBeInstanceOf(InternalStreamFailure);
    expect(part.kind === 'error' && part.error).toMatchObject({ message: 'oops', retryable: true, $fault: 'server' });
  });

  it('keeps an unknown exception type as the error name, with the payload text as message when it is not JSON', async () => {
    const m = await decodeOne(frame({ ':message-type': 'exception', ':exception-type': 'NewStreamError' }, 'plain text'));
    const part = readResponseStreamMessage(m, $metadata);
    expect(part.kind === 'error' && part.error).toBeInstanceOf(ServiceError);
    expect(part.kind === 'error' && part.error).toMatchObject({ name: 'NewStreamError', message: 'plain text' });
  });

  it('keeps an exception type that names an Object.prototype member as a ServiceError with a server fault', async () => {
    const m = await decodeOne(frame({ ':message-type': 'exception', ':exception-type': 'constructor' }, '{"Message":"odd"}'));
    const part = readResponseStreamMessage(m, $metadata);
    expect(part.kind === 'error' && part.error).toBeInstanceOf(ServiceError);
    expect(part.kind === 'error' && part.error).toMatchObject({ name: 'constructor', message: 'odd', $fault: 'server' });
  });

  it('maps an unmodelled error message to its :error-code and :error-message', async () => {
    const m = await decodeOne(frame({ ':message-type': 'error', ':error-code': 'ThrottlingException', ':error-message': 'slow down' }));
    const part = readResponseStreamMessage(m, $metadata);
    expect(part.kind === 'error' && part.error).toBeInstanceOf(SageMakerRuntimeError);
    expect(part.kind === 'error' && part.error).toMatchObject({ name: 'ThrottlingException', message: 'slow down', throttling: true });
  });

  it('reports a message without :message-type as malformed', async () => {
    const part = readResponseStreamMessage(await decodeOne(frame({ ':event-type': 'PayloadPart' }, 'x')), $metadata);
    expect(part.kind === 'error' && part.error).toMatchObject({ name: 'InternalStreamFailure', code: EVENT_STREAM_ERROR_CODES.malformed });
  });
});
