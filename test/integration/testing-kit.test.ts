import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { SageMakerRuntime } from '../../src/client/sagemaker-runtime.js';
import { output } from '../../src/events/output.js';
import { scriptedTransport, startTestEmulator, type TestEmulator } from '../../src/testing/index.js';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };

describe('startTestEmulator', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator({ endpoints: { reviews: { model: 'sentiment' } } });
  });
  afterAll(() => t.close());

  it('gives a client that the emulator accepts, and records the request', async () => {
    const out = await t.client.invokeEndpoint({ EndpointName: 'reviews', Body: '{"text":"great, I love it"}', ContentType: 'application/json' });
    expect(JSON.parse(new TextDecoder().decode(out.Body)).label).toBe('POSITIVE');
    expect(t.emulator.requests).toHaveLength(1);
    expect(t.emulator.requests[0]!.status).toBe(200);
    expect(() => t.verify({ requests: 1 })).not.toThrow();
  });

  it('verify() fails when the emulator saw another number of requests than expected', async () => {
    t.emulator.reset();
    await t.client.invokeEndpoint({ EndpointName: 'reviews', Body: '{"text":"fine"}', ContentType: 'application/json' });
    expect(() => t.verify({ requests: 0 })).toThrow('verify: expected 0 request(s), the emulator received 1');
    expect(() => t.verify()).not.toThrow();
  });
});

describe('scriptedTransport', () => {
  it('answers each request with the next scripted answer and records what was sent', async () => {
    const transport = scriptedTransport([
      { status: 503, headers: { 'X-Amzn-ErrorType': 'ServiceUnavailable' }, body: '{"message":"busy"}' },
      { status: 200, headers: { 'content-type': 'application/json' }, body: ['{"label":', '"POSITIVE"}'] },
    ]);
    const client = new SageMakerRuntime({ region: 'us-east-1', credentials, transport });
    const first = await lastValueFrom(client.invokeEndpoint$({ EndpointName: 'reviews', Body: 'a' }).pipe(toArray()));
    expect(first.map((e) => e.type)).toEqual(['sent', 'error']);
    const failure = first[1]!;
    expect(failure.type === 'error' && failure.error.name).toBe('ServiceUnavailable');
    const out = await firstValueFrom(client.invokeEndpoint$({ EndpointName: 'reviews', Body: 'b' }).pipe(output()));
    expect(new TextDecoder().decode(out.Body)).toBe('{"label":"POSITIVE"}');
    expect(transport.requests.map((r) => new TextDecoder().decode(r.body))).toEqual(['a', 'b']);
    expect(transport.requests[0]!.url).toBe('https://runtime.sagemaker.us-east-1.amazonaws.com/endpoints/reviews/invocations');
    expect(transport.remaining).toBe(0);
  });

  it('reports a scripted network error as a NetworkError event with its code', async () => {
    const client = new SageMakerRuntime({ region: 'us-east-1', credentials, transport: scriptedTransport([{ networkError: 'ECONNRESET' }]) });
    const events = await lastValueFrom(client.invokeEndpoint$({ EndpointName: 'x', Body: 'a' }).pipe(toArray()));
    const last = events[events.length - 1]!;
    expect(last.type).toBe('error');
    expect(last.type === 'error' && [last.error.name, last.error.code, last.error.retryable]).toEqual(['NetworkError', 'ECONNRESET', true]);
  });

  it('honours the abort signal during a scripted delay', async () => {
    const transport = scriptedTransport([{ status: 200, body: 'late', delayMs: 10_000 }]);
    const client = new SageMakerRuntime({ region: 'us-east-1', credentials, transport });
    const seen: string[] = [];
    const sub = client.invokeEndpoint$({ EndpointName: 'x', Body: 'a' }).subscribe((e) => seen.push(e.type));
    await new Promise((r) => setTimeout(r, 50));
    sub.unsubscribe();
    expect(transport.requests[0]!.signal.aborted).toBe(true);
    expect(seen).toEqual(['sent']);
  });
});
