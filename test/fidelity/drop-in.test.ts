/**
 * The rows of docs/migrating-from-aws-sdk.md, run through the official
 * `@aws-sdk/client-sagemaker-runtime` and through our Promise twin against the same loopback
 * endpoints: where the table says "same", both give the same outcome; where it names a
 * difference, each gives the outcome the table documents.
 */
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { SageMakerRuntime } from '../../src/client/sagemaker-runtime';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator } from '../../src/emulator/index';

const credentials = EMULATOR_CREDENTIALS;
let emulator: Emulator;
let busy: Server;
let busyUrl: string;
let busyHits = 0;
const sockets = new Set<Socket>();
const saved = { ...process.env };

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  busy = createServer((req, res) => {
    busyHits += 1;
    req.resume();
    res.writeHead(503, { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceUnavailable' }).end('{"message":"busy"}');
  });
  busy.on('connection', (s) => sockets.add(s));
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  busyUrl = `http://127.0.0.1:${(busy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await emulator.close();
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => busy.close(() => r()));
});
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

/** One call through each client with the same config; each result is the output or the error. */
async function both(config: { endpoint?: string; maxAttempts?: number }, input: Record<string, unknown> | (() => Record<string, unknown>), skewMs = 0) {
  // A streamed body can be read once: each client gets its own input when a factory is given.
  const make = typeof input === 'function' ? input : () => input;
  const sdk = new SageMakerRuntimeClient({ region: 'us-east-1', credentials, ...config, ...(skewMs && { systemClockOffset: skewMs }) });
  const ours = new SageMakerRuntime({ region: 'us-east-1', credentials, ...config }, skewMs ? { signingDate: () => new Date(Date.now() + skewMs) } : {});
  try {
    const settle = <T>(p: Promise<T>) => p.then((output) => ({ output, error: undefined }), (error: { name: string; $metadata?: { attempts?: number } }) => ({ output: undefined, error }));
    const s = await settle(sdk.send(new InvokeEndpointCommand(make() as never)));
    const o = await settle(ours.invokeEndpoint(make() as never));
    return { sdk: s, ours: o };
  } finally {
    sdk.destroy();
    await ours.destroy();
  }
}

describe('same as the SDK', () => {
  it('retries an always-503 endpoint 3 times by default', async () => {
    busyHits = 0;
    const { sdk, ours } = await both({ endpoint: busyUrl }, { EndpointName: 'e', Body: 'x' });
    expect(busyHits).toBe(6);
    expect([sdk.error?.name, sdk.error?.$metadata?.attempts]).toEqual(['ServiceUnavailable', 3]);
    expect([ours.error?.name, ours.error?.$metadata?.attempts]).toEqual(['ServiceUnavailable', 3]);
  });

  it('takes maxAttempts from AWS_MAX_ATTEMPTS', async () => {
    process.env.AWS_MAX_ATTEMPTS = '2';
    busyHits = 0;
    const { sdk, ours } = await both({ endpoint: busyUrl }, { EndpointName: 'e', Body: 'x' });
    expect(busyHits).toBe(4);
    expect([sdk.error?.$metadata?.attempts, ours.error?.$metadata?.attempts]).toEqual([2, 2]);
  });

  it('does not retry a ModelError', async () => {
    const before = emulator.requests.length;
    const { sdk, ours } = await both({ endpoint: emulator.url }, { EndpointName: 'missing-endpoint', Body: 'x' });
    expect(emulator.requests.length - before).toBe(2);
    expect(ours.error?.name).toBe(sdk.error?.name);
  });

  it('reports $metadata attempts 1 and totalRetryDelay 0 for a first-attempt output or error, from the Promise and from the Observable', async () => {
    const tally = (m: { httpStatusCode?: number; attempts?: number; totalRetryDelay?: number } | undefined) =>
      m && { httpStatusCode: m.httpStatusCode, attempts: m.attempts, totalRetryDelay: m.totalRetryDelay };
    const observed = async (input: { EndpointName: string; Body: string }) => {
      const client = new SageMakerRuntime({ region: 'us-east-1', credentials, endpoint: emulator.url });
      const { lastValueFrom } = jest.requireActual<typeof import('rxjs')>('rxjs');
      const last = await lastValueFrom(client.invokeEndpoint$(input));
      await client.destroy();
      return last.type === 'response' ? last.output.$metadata : last.type === 'error' ? last.error.$metadata : undefined;
    };
    const ok = await both({ endpoint: emulator.url }, { EndpointName: 'echo', Body: 'x' });
    expect(tally(ok.sdk.output?.$metadata)).toEqual({ httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 });
    expect(tally(ok.ours.output?.$metadata)).toEqual(tally(ok.sdk.output?.$metadata));
    expect(tally(await observed({ EndpointName: 'echo', Body: 'x' }))).toEqual(tally(ok.sdk.output?.$metadata));

    const failed = await both({ endpoint: emulator.url }, { EndpointName: 'missing-endpoint', Body: 'x' });
    const sdkError = tally((failed.sdk.error as { $metadata?: Record<string, number> } | undefined)?.$metadata);
    expect(sdkError).toMatchObject({ attempts: 1, totalRetryDelay: 0 });
    expect(tally((failed.ours.error as { $metadata?: Record<string, number> } | undefined)?.$metadata)).toEqual(sdkError);
    expect(tally(await observed({ EndpointName: 'missing-endpoint', Body: 'x' }))).toEqual(sdkError);
  });

  it('sends to AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME when no endpoint is configured', async () => {
    process.env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME = emulator.url;
    const before = emulator.requests.length;
    const { sdk, ours } = await both({}, { EndpointName: 'echo', Body: 'env' });
    expect(emulator.requests.length - before).toBe(2);
    expect([sdk.output?.Body.transformToString(), ours.output?.Body.transformToString()]).toEqual(['env', 'env']);
  });

  it.each([
    ['a string', () => 'héllo'],
    ['a Uint8Array', () => new TextEncoder().encode('héllo')],
    ['a Buffer', () => Buffer.from('héllo')],
    ['a DataView', () => new DataView(new TextEncoder().encode('héllo').buffer)],
  ])('takes %s as Body and answers a Uint8Array Body with transformToString()', async (_kind, body) => {
    const { sdk, ours } = await both({ endpoint: emulator.url }, { EndpointName: 'echo', Body: body() });
    expect(ours.output?.Body).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(ours.output!.Body)).toEqual(Buffer.from(sdk.output!.Body));
    expect(ours.output?.Body.transformToString()).toBe(sdk.output?.Body.transformToString());
    expect(ours.output?.Body.transformToString('base64')).toBe(sdk.output?.Body.transformToString('base64'));
  });

  it('corrects a clock 20 minutes behind and succeeds on the second attempt', async () => {
    const { sdk, ours } = await both({ endpoint: emulator.url }, { EndpointName: 'echo', Body: 'skewed' }, -20 * 60_000);
    expect([sdk.output?.$metadata.attempts, ours.output?.$metadata.attempts]).toEqual([2, 2]);
  });

  it('appends customUserAgent to the user-agent header', async () => {
    const sdk = new SageMakerRuntimeClient({ region: 'us-east-1', credentials, endpoint: emulator.url, customUserAgent: 'my-app/1.2' });
    const ours = new SageMakerRuntime({ region: 'us-east-1', credentials, endpoint: emulator.url, customUserAgent: [['my-app', '1.2']] });
    try {
      await sdk.send(new InvokeEndpointCommand({ EndpointName: 'echo', Body: 'ua' }));
      await ours.invokeEndpoint({ EndpointName: 'echo', Body: 'ua' });
    } finally {
      sdk.destroy();
      await ours.destroy();
    }
    const [fromSdk, fromOurs] = emulator.requests.slice(-2).map((r) => r.headers['user-agent'] ?? '');
    expect(fromSdk).toMatch(/(^| )my-app\/1\.2( |$)/);
    expect(fromOurs).toMatch(/^sagemaker-rx\/\S+ my-app\/1\.2$/);
  });

  it('reads a Node Readable Body whole and sends it', async () => {
    const { sdk, ours } = await both({ endpoint: emulator.url }, () => ({ EndpointName: 'echo', Body: Readable.from([Buffer.from('strea'), Buffer.from('med')]) }));
    expect([sdk.output?.Body.transformToString(), ours.output?.Body.transformToString()]).toEqual(['streamed', 'streamed']);
  });

  it('refuses an over-long streamed body (ours before sending, with InvalidRequestError naming Body)', async () => {
    const before = emulator.requests.length;
    const big = () => Readable.from((function* () { for (let i = 0; i < 7; i++) yield Buffer.alloc(1024 * 1024, 97); })());
    const ours = new SageMakerRuntime({ region: 'us-east-1', credentials, endpoint: emulator.url });
    await expect(ours.invokeEndpoint({ EndpointName: 'echo', Body: big() })).rejects.toMatchObject({ name: 'InvalidRequestError', member: 'Body' });
    await ours.destroy();
    expect(emulator.requests.length).toBe(before);
  });
});

describe('documented differences', () => {
  it.each([
    ['a Blob', () => new Blob(['streamed'])],
    ['a web ReadableStream', () => new Blob(['streamed']).stream()],
  ])('%s Body on Node: the SDK throws (its Node handler takes no Blob or web stream) without sending; ours reads it and sends it', async (_kind, body) => {
    const before = emulator.requests.length;
    const { sdk, ours } = await both({ endpoint: emulator.url }, () => ({ EndpointName: 'echo', Body: body() }));
    expect(sdk.output).toBeUndefined();
    expect(String((sdk.error as unknown as Error).message)).toMatch(/must be of type string or an instance of Buffer/);
    expect(ours.output?.Body.transformToString()).toBe('streamed');
    expect(emulator.requests.length - before).toBe(1);
  });

  it('a clock 20 minutes ahead: the SDK fails after one attempt (Signature not yet current); ours corrects it and succeeds on the second', async () => {
    const { sdk, ours } = await both({ endpoint: emulator.url }, { EndpointName: 'echo', Body: 'skewed' }, 20 * 60_000);
    expect([sdk.error?.name, sdk.error?.$metadata?.attempts]).toEqual(['InvalidSignatureException', 1]);
    expect(ours.output?.$metadata.attempts).toBe(2);
  });

  it('an Observable is one attempt per subscription where send() retries', async () => {
    busyHits = 0;
    const ours = new SageMakerRuntime({ region: 'us-east-1', credentials, endpoint: busyUrl });
    const { lastValueFrom, toArray } = jest.requireActual<typeof import('rxjs')>('rxjs');
    const events = await lastValueFrom(ours.invokeEndpoint$({ EndpointName: 'e', Body: 'x' }).pipe(toArray()));
    await ours.destroy();
    expect([events.map((e) => e.type), busyHits]).toEqual([['sent', 'error'], 1]);
  });
});
