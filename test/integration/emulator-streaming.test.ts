// The emulator's response stream and async operation over real sockets: event-stream frames,
// PayloadPart boundaries, pacing, mid-stream faults, client aborts, and the 202 answer.
import { getEventListeners } from 'node:events';
import { Agent, request } from 'undici';
import { DEFAULT_GENERATOR_TEXT, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { decodeFrames, send, signHeaders } from './emulator-helpers.js';

const STREAM = (name: string) => `/endpoints/${name}/invocations-response-stream`;
const ASYNC = (name: string) => `/endpoints/${name}/async-invocations`;

/** The JSON Lines the generator emits for a text. */
function expectedJsonLines(text: string): string {
  return (text.match(/\s*\S+/g) ?? []).map((t) => `${JSON.stringify({ token: { text: t } })}\n`).join('');
}

let emulator: Emulator;
let agent: Agent;

beforeAll(async () => {
  agent = new Agent();
  emulator = await startEmulator({
    endpoints: {
      echo: { model: 'echo' },
      generator: { model: 'text-generator', generator: { tokensPerSecond: 1000 } },
    },
  });
});

afterAll(async () => {
  await agent.destroy();
  await emulator.close();
});

beforeEach(() => emulator.reset());

function payloads(body: Buffer): Buffer[] {
  return decodeFrames(body).map((f) => {
    expect(f.headers).toEqual({ ':message-type': 'event', ':event-type': 'PayloadPart', ':content-type': 'application/octet-stream' });
    return Buffer.from(f.body);
  });
}

describe('InvokeEndpointWithResponseStream', () => {
  it('streams one PayloadPart per token with the event-stream and container content types', async () => {
    const res = await send(emulator, agent, { path: STREAM('generator'), body: '{"inputs":"hi"}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.amazon.eventstream');
    expect(res.headers['x-amzn-sagemaker-content-type']).toBe('application/jsonlines');
    expect(res.headers['x-amzn-invoked-production-variant']).toBe('AllTraffic');
    expect(res.headers['x-amzn-requestid']).toBe(emulator.requests[0]!.id);
    const parts = payloads(res.body);
    const tokens = DEFAULT_GENERATOR_TEXT.match(/\s*\S+/g)!;
    expect(parts).toHaveLength(tokens.length);
    expect(parts.map((p) => p.toString('utf8'))).toEqual(tokens.map((t) => `${JSON.stringify({ token: { text: t } })}\n`));
    expect(emulator.requests[0]).toMatchObject({ operation: 'InvokeEndpointWithResponseStream', status: 200, closedByClient: false });
  });

  it('formats tokens as server-sent events and honours max_new_tokens', async () => {
    emulator.setEndpoint('sse', { model: 'text-generator', generator: { format: 'sse', text: 'one two three four', tokensPerSecond: 1000 } });
    const res = await send(emulator, agent, { path: STREAM('sse'), body: '{"inputs":"x","parameters":{"max_new_tokens":3}}' });
    expect(res.headers['x-amzn-sagemaker-content-type']).toBe('text/event-stream');
    expect(payloads(res.body).map((p) => p.toString())).toEqual([
      'data: {"token":{"text":"one"}}\n\n',
      'data: {"token":{"text":" two"}}\n\n',
      'data: {"token":{"text":" three"}}\n\n',
    ]);
  });

  it('cuts PayloadParts at the given byte offsets', async () => {
    emulator.setEndpoint('cut', { model: 'text-generator', generator: { text: 'ab cd', splitAt: [3, 10, 30], tokensPerSecond: 1000 } });
    const res = await send(emulator, agent, { path: STREAM('cut'), body: '{}' });
    const whole = expectedJsonLines('ab cd');
    expect(payloads(res.body).map((p) => p.toString())).toEqual([whole.slice(0, 3), whole.slice(3, 10), whole.slice(10, 30), whole.slice(30)]);
  });

  it('cuts inside every multi-byte UTF-8 character with utf8-inside, and the bytes still join to the text', async () => {
    emulator.setEndpoint('utf8', { model: 'text-generator', generator: { splitAt: 'utf8-inside', tokensPerSecond: 2000 } });
    const res = await send(emulator, agent, { path: STREAM('utf8'), body: '{}' });
    const parts = payloads(res.body);
    const strict = new TextDecoder('utf-8', { fatal: true });
    const invalidAlone = parts.filter((p) => {
      try {
        strict.decode(p);
        return false;
      } catch {
        return true;
      }
    });
    const multiByteChars = [...DEFAULT_GENERATOR_TEXT].filter((c) => Buffer.byteLength(c) > 1).length;
    expect(invalidAlone.length).toBeGreaterThanOrEqual(multiByteChars);
    expect(Buffer.concat(parts).toString('utf8')).toBe(expectedJsonLines(DEFAULT_GENERATOR_TEXT));
  });

  it('cuts at random offsets repeatably for the same seed', async () => {
    const cutsFor = async (seed: number) => {
      const e = await startEmulator({ seed, endpoints: { g: { model: 'text-generator', generator: { splitAt: 'random', tokensPerSecond: 5000 } } } });
      try {
        return payloads((await send(e, agent, { path: STREAM('g'), body: '{}' })).body).map((p) => p.length);
      } finally {
        await e.close();
      }
    };
    const a = await cutsFor(1);
    expect(await cutsFor(1)).toEqual(a);
    expect(await cutsFor(2)).not.toEqual(a);
    expect(Math.max(...a)).toBeLessThanOrEqual(8);
    expect(a.reduce((x, y) => x + y, 0)).toBe(Buffer.byteLength(expectedJsonLines(DEFAULT_GENERATOR_TEXT)));
  });

  it('paces PayloadParts at tokensPerSecond', async () => {
    emulator.setEndpoint('paced', { model: 'text-generator', generator: { text: 'a b c d e f', tokensPerSecond: 20 } });
    const started = Date.now();
    const res = await send(emulator, agent, { path: STREAM('paced'), body: '{}' });
    expect(payloads(res.body)).toHaveLength(6);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5 * 50 - 10);
  });

  it('streams any model: echo answers the body as one PayloadPart with its content type', async () => {
    const res = await send(emulator, agent, { path: STREAM('echo'), body: 'héllo', headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(res.headers['x-amzn-sagemaker-content-type']).toBe('text/plain; charset=utf-8');
    expect(payloads(res.body).map((p) => p.toString())).toEqual(['héllo']);
  });

  it('streams the chunks of a StreamModelFunction as they are yielded', async () => {
    emulator.setEndpoint('fn', {
      model: async function* () {
        yield 'first ';
        yield new Uint8Array([0xe2, 0x9c]);
        yield new Uint8Array([0x93]);
      },
    });
    const res = await send(emulator, agent, { path: STREAM('fn'), body: '{}' });
    const parts = payloads(res.body);
    expect(parts.map((p) => [...p])).toEqual([[...Buffer.from('first ')], [0xe2, 0x9c], [0x93]]);
    expect(Buffer.concat(parts).toString()).toBe('first ✓');
    expect(res.headers['x-amzn-sagemaker-content-type']).toBe('application/octet-stream');
  });

  it('waits out back-pressure without leaving a listener on the request signal per blocked write', async () => {
    const big = new Uint8Array(256 * 1024).fill(0x61); // over the socket's high-water mark: every write waits for drain
    const listeners: number[] = [];
    emulator.setEndpoint('big', {
      model: async function* (req) {
        for (let i = 0; i < 16; i++) {
          yield big;
          listeners.push(getEventListeners(req.signal, 'abort').length);
        }
      },
    });
    const res = await send(emulator, agent, { path: STREAM('big'), body: '{}' });
    expect(payloads(res.body).map((p) => p.length)).toEqual(Array.from({ length: 16 }, () => big.length));
    expect(listeners).toHaveLength(16);
    expect(listeners).toEqual(listeners.map(() => listeners[0])); // none added by a write that waited
  });

  it.each([
    ['ModelStreamError', 'ModelInvocationTimeExceeded', { Message: expect.stringMatching(/did not complete sending the inference response in the allotted time/), ErrorCode: 'ModelInvocationTimeExceeded' }],
    ['ModelStreamError', 'StreamBroken', { Message: expect.any(String), ErrorCode: 'StreamBroken' }],
    ['InternalStreamFailure', undefined, { Message: expect.any(String) }],
  ] as const)('sends a %s exception frame (%s) after N chunks, then ends the body', async (fault, errorCode, payload) => {
    emulator.setEndpoint('broken', {
      model: 'text-generator',
      generator: { tokensPerSecond: 1000 },
      faults: { stream: { fault, afterChunks: 2, ...(errorCode ? { errorCode } : {}) } },
    });
    const res = await send(emulator, agent, { path: STREAM('broken'), body: '{}' });
    expect(res.status).toBe(200);
    const frames = decodeFrames(res.body);
    expect(frames).toHaveLength(3);
    expect(frames.slice(0, 2).every((f) => f.headers[':event-type'] === 'PayloadPart')).toBe(true);
    expect(frames[2]!.headers).toEqual({ ':message-type': 'exception', ':exception-type': fault, ':content-type': 'application/json' });
    expect(JSON.parse(Buffer.from(frames[2]!.body).toString())).toEqual(payload);
    expect(emulator.requests[0]).toMatchObject({ status: 200, streamFault: fault, closedByClient: false });
  });

  it('ends with a ModelStreamError (StreamBroken) frame when a streaming model throws mid-stream', async () => {
    emulator.setEndpoint('crashy', {
      model: async function* () {
        yield 'partial ';
        throw new Error('container died');
      },
    });
    const res = await send(emulator, agent, { path: STREAM('crashy'), body: '{}' });
    const frames = decodeFrames(res.body);
    expect(frames.map((f) => f.headers[':message-type'])).toEqual(['event', 'exception']);
    expect(Buffer.from(frames[0]!.body).toString()).toBe('partial ');
    expect(frames[1]!.headers[':exception-type']).toBe('ModelStreamError');
    expect(JSON.parse(Buffer.from(frames[1]!.body).toString())).toMatchObject({ ErrorCode: 'StreamBroken' });
    expect(emulator.requests[0]).toMatchObject({ status: 200, streamFault: 'ModelStreamError' });
  });

  it('truncates: half a frame, then the body ends', async () => {
    emulator.setEndpoint('truncated', { model: 'text-generator', generator: { tokensPerSecond: 1000 }, faults: { stream: { fault: 'truncate', afterChunks: 3 } } });
    const res = await send(emulator, agent, { path: STREAM('truncated'), body: '{}' });
    expect(() => decodeFrames(res.body)).toThrow(/truncated frame/);
    const whole = lengthOfFrames(res.body, 3);
    expect(decodeFrames(res.body.subarray(0, whole))).toHaveLength(3);
    const rest = res.body.subarray(whole);
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.readUInt32BE(0)).toBe(rest.length * 2 + (rest.readUInt32BE(0) % 2)); // half of the next frame
    expect(emulator.requests[0]).toMatchObject({ status: 200, streamFault: 'truncate' });
  });

  it('stalls: sends the first chunks, then holds the socket until the client leaves', async () => {
    emulator.setEndpoint('stalled', { model: 'text-generator', faults: { stream: { fault: 'stall', afterChunks: 2 } } });
    const controller = new AbortController();
    const path = STREAM('stalled');
    const headers = await signHeaders(emulator, { path, body: '{}' });
    const res = await request(`${emulator.url}${path}`, { method: 'POST', headers, body: '{}', dispatcher: agent, signal: controller.signal });
    expect(res.statusCode).toBe(200);
    const received: Buffer[] = [];
    const reading = (async () => {
      for await (const chunk of res.body) received.push(chunk as Buffer);
    })().catch((e: Error) => e);
    await emulator.waitForRequest((r) => r.streamFault === 'stall');
    await new Promise((r) => setTimeout(r, 150));
    expect(decodeFrames(Buffer.concat(received))).toHaveLength(2);
    controller.abort();
    expect(((await reading) as Error).name).toBe('AbortError');
    const record = await emulator.waitForRequest((r) => r.closedByClient);
    expect(record).toMatchObject({ streamFault: 'stall', status: 200 });
  });

  it('records closedByClient when the client aborts after the first chunk', async () => {
    emulator.setEndpoint('slow-gen', { model: 'text-generator', generator: { tokensPerSecond: 10 } });
    const controller = new AbortController();
    const path = STREAM('slow-gen');
    const headers = await signHeaders(emulator, { path, body: '{}' });
    const res = await request(`${emulator.url}${path}`, { method: 'POST', headers, body: '{}', dispatcher: agent, signal: controller.signal });
    const iterator = res.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    controller.abort();
    const record = await emulator.waitForRequest((r) => r.closedByClient);
    expect(record.endpointName).toBe('slow-gen');
    expect(record.completedAt! - record.receivedAt).toBeLessThan(2_000);
    expect(emulator.stats.inFlight).toBe(0);
  });

  it('answers a model error before streaming as a plain 424 ModelError', async () => {
    emulator.setEndpoint('fails', { model: () => ({ status: 500, body: 'boom' }) });
    const res = await send(emulator, agent, { path: STREAM('fails'), body: '{}' });
    expect(res.status).toBe(424);
    expect(res.headers['x-amzn-errortype']).toMatch(/^ModelError:/);
    expect(res.json()).toMatchObject({ OriginalStatusCode: 500, OriginalMessage: 'boom' });
  });
});

/** Byte length of the first `n` frames. */
function lengthOfFrames(body: Buffer, n: number): number {
  let offset = 0;
  for (let i = 0; i < n; i++) offset += body.readUInt32BE(offset);
  return offset;
}

describe('InvokeEndpointAsync', () => {
  it('answers 202 with the InferenceId and the S3 output and failure locations', async () => {
    const res = await send(emulator, agent, {
      path: ASYNC('echo'),
      body: '',
      headers: { 'x-amzn-sagemaker-inputlocation': 's3://bucket/in.json', 'x-amzn-sagemaker-inference-id': 'inf-42' },
    });
    expect(res.status).toBe(202);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json()).toEqual({ InferenceId: 'inf-42' });
    expect(res.headers['x-amzn-sagemaker-outputlocation']).toBe('s3://sagemaker-emulator/echo/output/inf-42.out');
    expect(res.headers['x-amzn-sagemaker-failurelocation']).toBe('s3://sagemaker-emulator/echo/failure/inf-42.out');
    expect(emulator.requests[0]).toMatchObject({ operation: 'InvokeEndpointAsync', status: 202 });
  });

  it('generates an InferenceId when none is given, and places Filename under S3OutputPathExtension', async () => {
    const res = await send(emulator, agent, {
      path: ASYNC('echo'),
      body: '{"inline":true}',
      headers: { 'x-amzn-sagemaker-filename': 'result.json', 'x-amzn-sagemaker-s3outputpathextension': 'batch-7' },
    });
    expect(res.status).toBe(202);
    expect(res.json()['InferenceId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-amzn-sagemaker-outputlocation']).toBe('s3://sagemaker-emulator/echo/output/batch-7/result.json');
  });

  it('treats the AWS SDK placeholder body {} beside InputLocation as no body', async () => {
    const res = await send(emulator, agent, { path: ASYNC('echo'), body: '{}', headers: { 'x-amzn-sagemaker-inputlocation': 's3://bucket/in.json' } });
    expect(res.status).toBe(202);
  });

  it.each([
    ['both a body and InputLocation', '{"a":1}', { 'x-amzn-sagemaker-inputlocation': 's3://b/k' }, /mutually exclusive/],
    ['neither a body nor InputLocation', '', {}, /Either InputLocation or Body must be provided/],
    ['a body over 128,000 bytes', 'x'.repeat(128_001), {}, /Value at 'body' failed to satisfy constraint: Member must have length less than or equal to 128000/],
    ['RequestTTLSeconds under 60', 'x', { 'x-amzn-sagemaker-requestttlseconds': '59' }, /Value '59' at 'requestTTLSeconds' .*greater than or equal to 60/],
    ['InvocationTimeoutSeconds over 3600', 'x', { 'x-amzn-sagemaker-invocationtimeoutseconds': '3601' }, /'invocationTimeoutSeconds' .*less than or equal to 3600/],
    ['an InputLocation that is not a URI', '', { 'x-amzn-sagemaker-inputlocation': 'ftp://x' }, /'inputLocation' .*regular expression pattern/],
  ])('rejects %s with 400 ValidationError', async (_label, body, headers, message) => {
    const res = await send(emulator, agent, { path: ASYNC('echo'), body, headers: headers as Record<string, string> });
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toMatch(/^ValidationError:/);
    expect(res.json()['message']).toMatch(message);
  });

  it('accepts an inline body of exactly 128,000 bytes', async () => {
    const res = await send(emulator, agent, { path: ASYNC('echo'), body: 'x'.repeat(128_000) });
    expect(res.status).toBe(202);
  });
});
