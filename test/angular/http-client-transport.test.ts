/**
 * `sagemaker-rx/angular` in an Angular environment injector (JIT, no browser): requests through
 * `withHttpClientTransport()` are seen by `HttpTestingController` and by interceptors, answered
 * bodies and service errors come back as events, unsubscribing cancels the HttpClient request,
 * response streams go through fetch to a real emulator, and the client is destroyed with its
 * injector. Runs under Node 24 (`npm run test:e2e`): Angular's packages are ES modules only.
 */
import '@angular/compiler'; // the packages are partially compiled; outside a CLI build they need the JIT compiler
import { createEnvironmentInjector, Injector, provideZonelessChangeDetection, ɵINJECTOR_SCOPE as INJECTOR_SCOPE, type EnvironmentInjector } from '@angular/core';
import { HttpHeaders, provideHttpClient, withFetch, withInterceptors, type HttpInterceptorFn } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { lastValueFrom, toArray } from 'rxjs';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator } from '../../src/emulator/index';
import { textDeltas, type InvokeEvent } from '../../src/index';
import { provideSageMaker, SageMakerClient, withFetchTransport, withHttpClientTransport } from '../../src/angular/index';

const ENDPOINT = 'https://runtime.sagemaker.test';
const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
const utf8 = new TextDecoder();

/** Resolves once `condition()` holds (signing and credentials resolve asynchronously before the request). */
async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`until: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * An application-like injector without a browser platform: the root scope (where HttpClient's
 * `providedIn: 'root'` services live) and zoneless change detection (no zone.js in Node).
 */
/** Waits for the one request to `url` (HttpTestingController.match takes what it returns off the open list). */
async function nextRequest(http: HttpTestingController, url: string): Promise<TestRequest> {
  let found: TestRequest[] = [];
  await until(() => (found = http.match(url)).length > 0);
  expect(found).toHaveLength(1);
  return found[0]!;
}

const injectorWith = (providers: Parameters<typeof createEnvironmentInjector>[0]) =>
  createEnvironmentInjector([{ provide: INJECTOR_SCOPE, useValue: 'root' }, provideZonelessChangeDetection(), ...providers], Injector.NULL as EnvironmentInjector, 'test');

describe('withHttpClientTransport() and HttpTestingController', () => {
  let injector: EnvironmentInjector;
  let http: HttpTestingController;
  let client: SageMakerClient;

  beforeEach(() => {
    injector = injectorWith([
      provideHttpClient(),
      provideHttpClientTesting(),
      provideSageMaker({ region: 'us-east-1', endpoint: ENDPOINT, credentials }, withHttpClientTransport()),
    ]);
    http = injector.get(HttpTestingController);
    client = injector.get(SageMakerClient);
  });

  afterEach(() => {
    http.verify(); // no request left unanswered
    injector.destroy();
  });

  it('sends the signed request through HttpClient and reads the flushed body as the output', async () => {
    const events = lastValueFrom(
      client.invokeEndpoint$({ EndpointName: 'reviews', Body: '{"text":"great"}', ContentType: 'application/json' }).pipe(toArray()),
    );
    const url = `${ENDPOINT}/endpoints/reviews/invocations`;
    const req = await nextRequest(http, url);
    expect(req.request.method).toBe('POST');
    expect(req.request.responseType).toBe('arraybuffer');
    expect(req.request.headers.get('authorization')).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\//);
    expect(req.request.headers.has('host')).toBe(false); // the browser sets it
    expect(utf8.decode(req.request.body as ArrayBuffer)).toBe('{"text":"great"}');
    req.flush(new TextEncoder().encode('{"label":"POSITIVE"}').buffer, {
      headers: new HttpHeaders({ 'Content-Type': 'application/json', 'x-amzn-RequestId': 'req-1', 'x-Amzn-Invoked-Production-Variant': 'AllTraffic' }),
    });
    const all = await events;
    expect(all.map((e) => e.type)).toEqual(['sent', 'response']);
    const response = all[1] as Extract<InvokeEvent, { type: 'response' }>;
    expect(utf8.decode(response.output.Body)).toBe('{"label":"POSITIVE"}');
    expect(response.output).toMatchObject({ ContentType: 'application/json', InvokedProductionVariant: 'AllTraffic', $metadata: { httpStatusCode: 200, requestId: 'req-1' } });
  });

  it('turns an error status into the typed error event, with the request id', async () => {
    const events = lastValueFrom(client.invokeEndpoint$({ EndpointName: 'reviews', Body: 'x' }).pipe(toArray()));
    const url = `${ENDPOINT}/endpoints/reviews/invocations`;
    (await nextRequest(http, url)).flush(new TextEncoder().encode(JSON.stringify({ message: 'Received server error (500)', OriginalStatusCode: 500 })).buffer, {
      status: 424,
      statusText: 'Failed Dependency',
      headers: new HttpHeaders({ 'x-amzn-ErrorType': 'ModelError:http://internal.amazon.com/coral/com.amazon.sagemaker/', 'x-amzn-RequestId': 'req-2' }),
    });
    const last = (await events).at(-1) as Extract<InvokeEvent, { type: 'error' }>;
    expect(last.type).toBe('error');
    expect(last.error).toMatchObject({ name: 'ModelError', OriginalStatusCode: 500, $metadata: { httpStatusCode: 424, requestId: 'req-2' } });
  });

  it('cancels the HttpClient request when the subscriber unsubscribes', async () => {
    const subscription = client.invokeEndpoint$({ EndpointName: 'reviews', Body: 'x' }).subscribe();
    const url = `${ENDPOINT}/endpoints/reviews/invocations`;
    const req = await nextRequest(http, url);
    expect(req.cancelled).toBe(false);
    subscription.unsubscribe();
    expect(req.cancelled).toBe(true);
  });

  it('reports a request that got no answer at all (status 0) as a NetworkError event', async () => {
    const events = lastValueFrom(client.invokeEndpoint$({ EndpointName: 'reviews', Body: 'x' }).pipe(toArray()));
    const url = `${ENDPOINT}/endpoints/reviews/invocations`;
    (await nextRequest(http, url)).error(new Event('error') as ProgressEvent, { status: 0, statusText: 'Unknown Error' });
    const last = (await events).at(-1) as Extract<InvokeEvent, { type: 'error' }>;
    expect(last.error.name).toBe('NetworkError');
  });
});

describe('against the emulator', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ endpoints: { reviews: { model: 'sentiment' }, llm: { model: 'text-generator', generator: { tokensPerSecond: 200 } } } });
  });
  afterAll(() => emulator.close());

  const config = () => ({ region: emulator.region, endpoint: emulator.url, credentials: EMULATOR_CREDENTIALS });

  it("goes through the application's interceptors, and a header they add does not break the signature", async () => {
    const seen: string[] = [];
    const trace: HttpInterceptorFn = (req, next) => {
      seen.push(req.url);
      return next(req.clone({ setHeaders: { 'x-trace-id': 'trace-42' } }));
    };
    const injector = injectorWith([provideHttpClient(withFetch(), withInterceptors([trace])), provideSageMaker(config(), withHttpClientTransport())]);
    try {
      const out = await injector.get(SageMakerClient).invokeEndpoint({ EndpointName: 'reviews', Body: '{"text":"I love it"}', ContentType: 'application/json' });
      expect(JSON.parse(utf8.decode(out.Body))).toMatchObject({ label: 'POSITIVE' });
      expect(seen).toEqual([`${emulator.url}/endpoints/reviews/invocations`]);
      expect(emulator.requests.at(-1)).toMatchObject({ status: 200, headers: { 'x-trace-id': 'trace-42' } });
    } finally {
      injector.destroy();
    }
  });

  it('streams a response through fetch, chunk by chunk, while HttpClient would buffer it', async () => {
    const seen: string[] = [];
    const spy: HttpInterceptorFn = (req, next) => {
      seen.push(req.url);
      return next(req);
    };
    const injector = injectorWith([provideHttpClient(withFetch(), withInterceptors([spy])), provideSageMaker(config(), withHttpClientTransport())]);
    try {
      const events = await lastValueFrom(
        injector
          .get(SageMakerClient)
          .invokeEndpointWithResponseStream$({ EndpointName: 'llm', Body: '{"inputs":"hi","stream":true}', ContentType: 'application/json' })
          .pipe(textDeltas(), toArray()),
      );
      const texts = events.filter((e) => e.type === 'text');
      expect(texts.length).toBeGreaterThan(5);
      expect(events.at(-1)?.type).toBe('response');
      expect(seen).toEqual([]); // not through HttpClient
    } finally {
      injector.destroy();
    }
  });

  it('destroys the client with its injector', async () => {
    const injector = injectorWith([provideSageMaker(config(), withFetchTransport())]);
    const client = injector.get(SageMakerClient);
    await client.invokeEndpoint({ EndpointName: 'reviews', Body: '{"text":"fine"}', ContentType: 'application/json' });
    injector.destroy();
    const before = emulator.requests.length;
    await expect(client.invokeEndpoint({ EndpointName: 'reviews', Body: '{"text":"fine"}', ContentType: 'application/json' })).rejects.toMatchObject({
      name: 'ClientDestroyedError',
    });
    expect(emulator.requests.length).toBe(before); // nothing sent
  });
});

describe('provideSageMaker', () => {
  it('refuses two transport features', () => {
    expect(() => provideSageMaker({ region: 'us-east-1' }, withFetchTransport(), withHttpClientTransport())).toThrow(
      'provideSageMaker: give at most one transport feature (withHttpClientTransport or withFetchTransport)',
    );
  });
});
