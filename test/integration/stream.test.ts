/**
 * invokeEndpointWithResponseStream$ end to end: real sockets against the emulator on port 0 —
 * events and members, reframing at every chunk boundary, mid-stream faults as typed error
 * events, aborts reaching the server, idle timeouts and retries of streams.
 */
import { lastValueFrom, Observable, take, toArray } from 'rxjs';
import type { SageMakerRuntime } from '../../src/client/sagemaker-runtime.js';
import { startTestEmulator } from '../../src/testing/index.js';
import { DEFAULT_GENERATOR_TEXT, type Emulator } from '../../src/emulator/index.js';
import type { InvokeErrorEvent, InvokeStreamEvent } from '../../src/events/invoke-event.js';
import { InvalidRequestError, TimeoutError } from '../../src/errors/client-errors.js';
import { InternalStreamFailure, ModelError, ModelStreamError, ValidationError } from '../../src/errors/service-errors.js';
import { EVENT_STREAM_ERROR_CODES } from '../../src/protocol/event-stream.js';
import { lines } from '../../src/operators/reframing/lines.js';
import { jsonLines } from '../../src/operators/reframing/json-lines.js';
import { serverSentEvents } from '../../src/operators/reframing/server-sent-events.js';
import { textDeltas } from '../../src/operators/reframing/text-deltas.js';
import { StreamParseError } from '../../src/operators/reframing/reframe-error.js';
import { retryInvocation } from '../../src/operators/resilience/retry-invocation.js';
import { timeoutInvocation } from '../../src/operators/resilience/timeout-invocation.js';

const collect = <T>(o: Observable<T>) => lastValueFrom(o.pipe(toArray()));
const utf8 = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('utf8');
const ofType = <T extends { type: string }, K extends T['type']>(events: T[], type: K) => events.filter((e): e is Extract<T, { type: K }> => e.type === type);
const TOKENS = DEFAULT_GENERATOR_TEXT.match(/\s*\S+/g)!;

// Lines with 2-, 3- and 4-byte characters; the model function below cuts it where told.
const SPLIT_RECORDS = [{ t: 'Größe' }, { t: '日本 ✓' }, { t: '🚀🎉' }];
const SPLIT_TEXT = `${SPLIT_RECORDS.map((r) => JSON.stringify(r)).join('\n')}\n`;
const SPLIT_BYTES = Buffer.from(SPLIT_TEXT, 'utf8');

describe('invokeEndpointWithResponseStream$ against the emulator', () => {
  let emu: Emulator;
  let client: SageMakerRuntime;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ emulator: emu, client, close } = await startTestEmulator({
      endpoints: {
        generator: { model: 'text-generator', generator: { tokensPerSecond: 2000 } },
        'gen-sse': { model: 'text-generator', generator: { format: 'sse', tokensPerSecond: 2000 } },
        'gen-utf8': { model: 'text-generator', generator: { splitAt: 'utf8-inside', tokensPerSecond: 5000 } },
        'gen-random': { model: 'text-generator', generator: { splitAt: 'random', tokensPerSecond: 5000 } },
        'gen-slow': { model: 'text-generator', generator: { tokensPerSecond: 4 } },
        // Cuts SPLIT_BYTES at the offsets listed in the request body: one PayloadPart per piece.
        cut: {
          model: (req) => {
            const offsets = JSON.parse(req.body.toString('utf8')) as number[];
            const cuts = [0, ...offsets, SPLIT_BYTES.length];
            return { chunks: cuts.slice(1).map((end, i) => SPLIT_BYTES.subarray(cuts[i], end)), contentType: 'application/jsonlines' };
          },
        },
        // A bad record, then more lines slowly: a parser that stops must abort the request.
        'bad-json': {
          model: async function* () {
            yield '{"ok":1}\n{oops}\n';
            for (let i = 0; i < 50; i++) {
              await new Promise((r) => setTimeout(r, 100));
              yield `{"n":${i}}\n`;
            }
          },
        },
        'fault-broken': { model: 'text-generator', generator: { tokensPerSecond: 2000 }, faults: { stream: { fault: 'ModelStreamError', afterChunks: 2, errorCode: 'StreamBroken' } } },
        'fault-time': { model: 'text-generator', generator: { tokensPerSecond: 2000 }, faults: { stream: { fault: 'ModelStreamError', afterChunks: 3 } } },
        'fault-internal': { model: 'text-generator', generator: { tokensPerSecond: 2000 }, faults: { stream: { fault: 'InternalStreamFailure', afterChunks: 1 } } },
        'fault-truncate': { model: 'text-generator', generator: { tokensPerSecond: 2000 }, faults: { stream: { fault: 'truncate', afterChunks: 2 } } },
        'fault-stall': { model: 'text-generator', generator: { tokensPerSecond: 2000 }, faults: { stream: { fault: 'stall', afterChunks: 1 } } },
        'model-error': { model: 'text-generator', faults: { modelErrorRate: 1, modelErrorStatus: 503 } },
        'server-error': { model: 'text-generator', faults: { serverErrorRate: 1, serverErrorStatus: 500 } },
        echo: { model: 'echo' },
      },
    }));
  });

  afterAll(async () => {
    await close();
  });

  beforeEach(() => emu.reset());

  const stream$ = (EndpointName: string, Body: string | Uint8Array = '{"inputs":"hi"}') => client.invokeEndpointWithResponseStream$({ EndpointName, Body });

  it('emits sent, headers, one chunk per PayloadPart and a response summary, then completes', async () => {
    const events = await collect(stream$('generator'));
    const record = emu.requests[0]!;
    expect(events.map((e) => e.type)).toEqual(['sent', 'headers', ...TOKENS.map(() => 'chunk'), 'response']);
    const [headers] = ofType(events, 'headers');
    expect(headers!.output).toEqual({
      ContentType: 'application/jsonlines',
      InvokedProductionVariant: 'AllTraffic',
      $metadata: { httpStatusCode: 200, requestId: record.id, attempts: 1, totalRetryDelay: 0 },
    });
    const chunks = ofType(events, 'chunk');
    expect(chunks.map((c) => c.index)).toEqual(TOKENS.map((_, i) => i));
    expect(chunks.map((c) => Buffer.from(c.bytes).toString('utf8'))).toEqual(TOKENS.map((t) => `${JSON.stringify({ token: { text: t } })}\n`));
    const [response] = ofType(events, 'response');
    expect(response!.output).toEqual({
      ...headers!.output,
      chunks: TOKENS.length,
      bytes: chunks.reduce((n, c) => n + c.bytes.byteLength, 0),
    });
    expect(response!.durationMs).toBeGreaterThan(0);
    expect(events.every((e) => e.attempt === 1)).toBe(true);
    expect(record).toMatchObject({ operation: 'InvokeEndpointWithResponseStream', path: '/endpoints/generator/invocations-response-stream', status: 200, closedByClient: false });
  });

  it('sends every input member under its streaming wire name (Accept as X-Amzn-SageMaker-Accept)', async () => {
    await collect(
      client.invokeEndpointWithResponseStream$({
        EndpointName: 'echo',
        Body: '{"x":1}',
        ContentType: 'application/json',
        Accept: 'application/jsonlines',
        CustomAttributes: 'trace=1',
        TargetVariant: 'AllTraffic',
        TargetContainerHostname: 'c-1',
        InferenceId: 'inf-1',
        InferenceComponentName: 'comp-1',
        SessionId: 'sess-1',
      }),
    );
    const h = emu.requests[0]!.headers;
    expect(h).toMatchObject({
      'content-type': 'application/json',
      'x-amzn-sagemaker-accept': 'application/jsonlines',
      'x-amzn-sagemaker-custom-attributes': 'trace=1',
      'x-amzn-sagemaker-target-variant': 'AllTraffic',
      'x-amzn-sagemaker-target-container-hostname': 'c-1',
      'x-amzn-sagemaker-inference-id': 'inf-1',
      'x-amzn-sagemaker-inference-component': 'comp-1',
      'x-amzn-sagemaker-session-id': 'sess-1',
    });
    expect(h.accept).toBeUndefined();
    expect(emu.requests[0]!.body.toString()).toBe('{"x":1}');
  });

  it('rejects input the streaming operation does not allow, with nothing sent', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ TargetModel: 'm.tar.gz' }, 'TargetModel', /not a member of InvokeEndpointWithResponseStream/],
      [{ EnableExplanations: '`true`' }, 'EnableExplanations', /not a member of InvokeEndpointWithResponseStream/],
      [{ SessionId: 'NEW_SESSION' }, 'SessionId', /NEW_SESSION is allowed only on InvokeEndpoint/],
      [{ EndpointName: 'bad_name' }, 'EndpointName', /must match/],
      [{ Body: undefined }, 'Body', /is required/],
      [{ Body: new Uint8Array(6_291_457) }, 'Body', /at most 6291456 bytes/],
      [{ Accept: 'tëxt' }, 'Accept', /US-ASCII/],
    ];
    for (const [patch, member, rule] of cases) {
      const input = { EndpointName: 'generator', Body: '{}', ...patch } as Parameters<SageMakerRuntime['invokeEndpointWithResponseStream$']>[0];
      const events = await collect(client.invokeEndpointWithResponseStream$(input));
      expect(events.map((e) => e.type)).toEqual(['error']);
      const { error } = events[0] as InvokeErrorEvent;
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect({ member: (error as InvalidRequestError).member, rule: (error as InvalidRequestError).rule }).toEqual({ member, rule: expect.stringMatching(rule) });
    }
    expect(emu.requests).toHaveLength(0);
  });

  it('is cold: nothing is sent until subscribe, and each subscription sends its own request', async () => {
    const call$ = stream$('generator');
    await new Promise((r) => setTimeout(r, 50));
    expect(emu.requests).toHaveLength(0);
    const [a, b] = await Promise.all([collect(call$), collect(call$)]);
    expect(emu.requests).toHaveLength(2);
    expect(utf8(ofType(a, 'chunk').map((c) => c.bytes))).toBe(utf8(ofType(b, 'chunk').map((c) => c.bytes)));
  });

  it('reassembles the same lines and records for every chunk boundary position, including inside each multi-byte character', async () => {
    const expectedLines = SPLIT_TEXT.split('\n').slice(0, -1);
    const multiByteCuts = [...SPLIT_BYTES.keys()].filter((i) => i > 0 && (SPLIT_BYTES[i]! & 0xc0) === 0x80);
    expect(multiByteCuts.length).toBeGreaterThan(10);
    for (let cut = 1; cut < SPLIT_BYTES.length; cut++) {
      const viaLines = await collect(stream$('cut', JSON.stringify([cut])).pipe(lines()));
      expect(viaLines.filter((e) => (e as { type: string }).type === 'chunk')).toHaveLength(0); // replaced by lines
      expect({ cut, lines: ofType(viaLines, 'line').map((e) => e.line) }).toEqual({ cut, lines: expectedLines });
      const viaRecords = await collect(stream$('cut', JSON.stringify([cut, Math.min(cut + 3, SPLIT_BYTES.length - 1)])).pipe(jsonLines()));
      expect({ cut, records: ofType(viaRecords, 'record').map((e) => e.value) }).toEqual({ cut, records: SPLIT_RECORDS });
      expect(viaRecords.at(-1)!.type).toBe('response');
    }
    // every request really was cut in two (or three) PayloadParts
    expect(emu.requests.filter((r) => r.status === 200)).toHaveLength(2 * (SPLIT_BYTES.length - 1));
  });

  it('reassembles the generator text when PayloadParts split every multi-byte character, or at random offsets', async () => {
    for (const endpoint of ['gen-utf8', 'gen-random']) {
      const events = await collect(stream$(endpoint).pipe(textDeltas()));
      const summary = ofType(events, 'response')[0]!.output;
      expect(summary.chunks).toBeGreaterThan(TOKENS.length);
      expect({ endpoint, text: ofType(events, 'text').map((e) => e.text).join('') }).toEqual({ endpoint, text: DEFAULT_GENERATOR_TEXT });
    }
  });

  it('reads the SSE format with serverSentEvents() and textDeltas()', async () => {
    const sse = await collect(stream$('gen-sse').pipe(serverSentEvents()));
    expect(ofType(sse, 'sse').map((e) => (JSON.parse(e.data) as { token: { text: string } }).token.text)).toEqual(TOKENS);
    expect(ofType(sse, 'headers')[0]!.output.ContentType).toBe('text/event-stream');
    const text = await collect(stream$('gen-sse').pipe(textDeltas()));
    expect(ofType(text, 'text').map((e) => e.text)).toEqual(TOKENS);
  });

  it.each([
    ['fault-broken', 2, 'StreamBroken'],
    ['fault-time', 3, 'ModelInvocationTimeExceeded'],
  ])('turns a mid-stream ModelStreamError frame (%s) into a typed error event after %i chunks', async (endpoint, afterChunks, errorCode) => {
    const events = await collect(stream$(endpoint));
    expect(events.map((e) => e.type)).toEqual(['sent', 'headers', ...Array(afterChunks).fill('chunk'), 'error']);
    const { error } = events.at(-1) as InvokeErrorEvent;
    expect(error).toBeInstanceOf(ModelStreamError);
    expect(error).toMatchObject({ name: 'ModelStreamError', ErrorCode: errorCode, retryable: false, $metadata: { httpStatusCode: 200, requestId: emu.requests[0]!.id } });
    expect(error.message.length).toBeGreaterThan(0);
  });

  it('turns a mid-stream InternalStreamFailure frame into a retryable typed error event', async () => {
    const events = await collect(stream$('fault-internal'));
    expect(events.map((e) => e.type)).toEqual(['sent', 'headers', 'chunk', 'error']);
    const { error } = events.at(-1) as InvokeErrorEvent;
    expect(error).toBeInstanceOf(InternalStreamFailure);
    expect(error).toMatchObject({ retryable: true, $fault: 'server' });
  });

  it('reports a body that ends inside a frame as a truncated stream, not a silent end', async () => {
    const events = await collect(stream$('fault-truncate'));
    expect(events.map((e) => e.type)).toEqual(['sent', 'headers', 'chunk', 'chunk', 'error']);
    const { error } = events.at(-1) as InvokeErrorEvent;
    expect(error).toBeInstanceOf(InternalStreamFailure);
    expect(error).toMatchObject({ code: EVENT_STREAM_ERROR_CODES.truncated, $metadata: { httpStatusCode: 200 } });
    expect(error.message).toMatch(/^truncated event stream: body ended inside a frame \(\d+ of \d+ bytes\)$/);
  });

  it('reports HTTP errors before streaming with the shared error parser, and no headers event', async () => {
    const model = await collect(stream$('model-error'));
    expect(model.map((e) => e.type)).toEqual(['sent', 'error']);
    expect((model[1] as InvokeErrorEvent).error).toBeInstanceOf(ModelError);
    expect((model[1] as InvokeErrorEvent).error).toMatchObject({ OriginalStatusCode: 503, $metadata: { httpStatusCode: 424 } });
    const missing = await collect(stream$('no-such-endpoint'));
    expect((missing[1] as InvokeErrorEvent).error).toBeInstanceOf(ValidationError);
  });

  it('aborts the socket when unsubscribed after the first chunk: the emulator sees the client close', async () => {
    const events = await collect(stream$('gen-slow').pipe(take(3))); // sent, headers, chunk 0
    expect(events.map((e) => e.type)).toEqual(['sent', 'headers', 'chunk']);
    const record = await emu.waitForRequest((r) => r.endpointName === 'gen-slow' && r.closedByClient, 2_000);
    expect(record.completedAt! - record.receivedAt).toBeLessThan(TOKENS.length * 250);
  });

  it('aborts the request when jsonLines() meets a malformed record', async () => {
    const events = await collect(stream$('bad-json').pipe(jsonLines()));
    expect(events.map((e) => e.type)).toEqual(['sent', 'headers', 'record', 'error']);
    expect((events[3] as InvokeErrorEvent).error).toBeInstanceOf(StreamParseError);
    expect((events[3] as InvokeErrorEvent).error).toMatchObject({ line: 2 });
    const record = await emu.waitForRequest((r) => r.endpointName === 'bad-json' && r.closedByClient, 2_000);
    expect(record.completedAt! - record.receivedAt).toBeLessThan(2_000);
  });

  it('ends a stalled stream with an idle TimeoutError and aborts it', async () => {
    const started = Date.now();
    const events = await collect(stream$('fault-stall').pipe(timeoutInvocation<InvokeStreamEvent>({ idle: 300 })));
    expect(events.map((e) => e.type)).toEqual(['sent', 'headers', 'chunk', 'error']);
    const { error } = events.at(-1) as InvokeErrorEvent;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ phase: 'idle', ms: 300, retryable: true });
    expect(Date.now() - started).toBeLessThan(5_000);
    await emu.waitForRequest((r) => r.endpointName === 'fault-stall' && r.streamFault === 'stall' && r.closedByClient, 2_000);
  });

  it('retries a stream that fails before its first chunk', async () => {
    const events = await collect(stream$('server-error').pipe(retryInvocation<InvokeStreamEvent>({ maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 10 })));
    expect(events.map((e) => e.type)).toEqual(['sent', 'retry', 'sent', 'retry', 'sent', 'error']);
    expect(emu.requests).toHaveLength(3);
  });

  it('does not retry a stream after its first chunk, unless retryAfterData', async () => {
    const once = await collect(stream$('fault-internal').pipe(retryInvocation<InvokeStreamEvent>({ maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 10 })));
    expect(once.map((e) => e.type)).toEqual(['sent', 'headers', 'chunk', 'error']);
    expect(emu.requests).toHaveLength(1);

    emu.reset();
    const again = await collect(
      stream$('fault-internal').pipe(retryInvocation<InvokeStreamEvent>({ maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10, retryAfterData: true }), lines()),
    );
    expect(again.map((e) => `${e.type}#${e.attempt}`)).toEqual(['sent#1', 'headers#1', 'line#1', 'retry#1', 'sent#2', 'headers#2', 'line#2', 'error#2']);
    expect(emu.requests).toHaveLength(2);
  });
});

describe('client.invokeEndpointWithResponseStream (Promise twin, AWS SDK shape)', () => {
  let emu: Emulator;
  let client: SageMakerRuntime;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ emulator: emu, client, close } = await startTestEmulator({
      endpoints: {
        generator: { model: 'text-generator', generator: { tokensPerSecond: 2000 } },
        'gen-slow': { model: 'text-generator', generator: { tokensPerSecond: 4 } },
        'fault-broken': { model: 'text-generator', generator: { tokensPerSecond: 2000 }, faults: { stream: { fault: 'ModelStreamError', afterChunks: 2, errorCode: 'StreamBroken' } } },
      },
    }));
  });

  afterAll(async () => {
    await close();
  });

  it('resolves with the output members and a Body of PayloadParts', async () => {
    const out = await client.invokeEndpointWithResponseStream({ EndpointName: 'generator', Body: '{}' });
    expect(out).toMatchObject({ ContentType: 'application/jsonlines', InvokedProductionVariant: 'AllTraffic', $metadata: { httpStatusCode: 200 } });
    const parts: Uint8Array[] = [];
    for await (const event of out.Body) if (event.PayloadPart?.Bytes) parts.push(event.PayloadPart.Bytes);
    expect(parts).toHaveLength(TOKENS.length);
    expect(utf8(parts)).toBe(TOKENS.map((t) => `${JSON.stringify({ token: { text: t } })}\n`).join(''));
  });

  it('throws the typed ModelStreamError from the Body iterator, after the parts before it', async () => {
    const out = await client.invokeEndpointWithResponseStream({ EndpointName: 'fault-broken', Body: '{}' });
    let parts = 0;
    let caught: unknown;
    try {
      for await (const _ of out.Body) parts++;
    } catch (error) {
      caught = error;
    }
    expect(parts).toBe(2);
    expect(caught).toBeInstanceOf(ModelStreamError);
    expect(caught).toMatchObject({ ErrorCode: 'StreamBroken' });
  });

  it('rejects with the typed error when the call fails before streaming', async () => {
    await expect(client.invokeEndpointWithResponseStream({ EndpointName: 'missing', Body: '{}' })).rejects.toBeInstanceOf(ValidationError);
    await expect(client.invokeEndpointWithResponseStream({ EndpointName: 'generator', Body: '{}', SessionId: 'NEW_SESSION' })).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('aborts the request when the loop is left early', async () => {
    emu.reset();
    const out = await client.invokeEndpointWithResponseStream({ EndpointName: 'gen-slow', Body: '{}' });
    for await (const _ of out.Body) break;
    await emu.waitForRequest((r) => r.endpointName === 'gen-slow' && r.closedByClient, 2_000);
  });

  it('rejects with the signal reason and aborts the request when the signal aborts', async () => {
    emu.reset();
    const controller = new AbortController();
    const out = await client.invokeEndpointWithResponseStream({ EndpointName: 'gen-slow', Body: '{}' }, { signal: controller.signal });
    const iterator = out.Body[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort(new Error('user gave up'));
    await expect(iterator.next()).rejects.toThrow('user gave up');
    await emu.waitForRequest((r) => r.endpointName === 'gen-slow' && r.closedByClient, 2_000);
  });
});
