/**
 * Our Authorization header equals the official SDK's for the same input, date and credentials.
 * The SDK's signed request is captured by a request handler that never touches the network;
 * ours by a transport that does the same. Only here is the clock fixed: the SDK's through
 * `Date.now`, ours through the client's internal signing-date seam.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  InvokeEndpointAsyncCommand,
  InvokeEndpointCommand,
  InvokeEndpointWithResponseStreamCommand,
  SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { lastValueFrom, toArray } from 'rxjs';
import { SageMakerRuntime } from '../../src/client/sagemaker-runtime';
import { attempt$, bufferedResponseHandler } from '../../src/client/attempt';
import type { Transport, TransportRequest } from '../../src/transport/transport';
import { VERSION } from '../../src/signing/user-agent';

const DATE = new Date('2026-02-03T04:05:06Z');
const CREDENTIALS = { accessKeyId: 'AKIDFIDELITY', secretAccessKey: 'fidelity/secret/key/0000000000000000000', sessionToken: 'fidelity-session-token' };
/** Headers the SDK's retry and user-agent middleware add; they are removed before it signs. */
const SDK_ONLY_HEADERS = ['amz-sdk-invocation-id', 'amz-sdk-request', 'x-amz-user-agent'];

type Captured = { path: string; headers: Record<string, string>; body: Uint8Array };

async function sdkSigned(region: string, endpoint: string | undefined, command: { input: object } & object): Promise<Captured> {
  let captured: Captured | undefined;
  const sdk = new SageMakerRuntimeClient({
    region,
    endpoint,
    credentials: { ...CREDENTIALS },
    maxAttempts: 1,
    requestHandler: {
      handle: async (req: { path: string; headers: Record<string, string>; body: unknown }) => {
        const body = typeof req.body === 'string' ? new TextEncoder().encode(req.body) : ((req.body as Uint8Array | undefined) ?? new Uint8Array());
        captured = { path: req.path, headers: { ...req.headers }, body };
        return { response: { statusCode: 200, headers: {}, body: Readable.from([]) } };
      },
    } as never,
  });
  type Args = { request: { headers: Record<string, string> } };
  const strip = (next: (args: Args) => Promise<unknown>) => async (args: Args) => {
    for (const h of SDK_ONLY_HEADERS) delete args.request.headers[h];
    return next(args);
  };
  sdk.middlewareStack.addRelativeTo(strip as never, { relation: 'before', toMiddleware: 'httpSigningMiddleware', name: 'stripSdkOnlyHeaders' } as never);
  const spy = jest.spyOn(Date, 'now').mockReturnValue(DATE.getTime());
  try {
    await sdk.send(command as never).catch(() => undefined); // the empty 200 may not parse; the request is what counts
  } finally {
    spy.mockRestore();
    sdk.destroy();
  }
  if (!captured) throw new Error('the SDK sent nothing');
  return captured;
}

function capturingTransport(sink: TransportRequest[]): Transport {
  return {
    async send(request) {
      sink.push(request);
      return { statusCode: 200, headers: {}, body: { bytes: async () => new Uint8Array(), async *[Symbol.asyncIterator]() {} } };
    },
    async destroy() {},
  };
}

function ourClient(region: string, endpoint: string | undefined, sink: TransportRequest[]) {
  return new SageMakerRuntime({ region, endpoint, credentials: { ...CREDENTIALS }, transport: capturingTransport(sink) }, { signingDate: () => DATE });
}

const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

describe('Authorization equals the official SDK’s', () => {
  const fullInput = {
    EndpointName: 'fidelity-endpoint',
    Body: '{"instances":[1,2,3],"text":"naïve café"}',
    ContentType: 'application/json',
    Accept: 'application/json',
    CustomAttributes: 'c000_trace=1',
    TargetModel: 'model-a.tar.gz',
    TargetVariant: 'variant-a',
    TargetContainerHostname: 'container-a',
    InferenceId: 'inference id 1',
    EnableExplanations: '`true`',
    InferenceComponentName: 'component-a',
    SessionId: 'NEW_SESSION',
  };

  it.each([
    ['us-east-1', undefined],
    ['eu-west-1', undefined],
    ['us-east-1', 'http://127.0.0.1:4599'],
    ['us-east-1', 'https://proxy.example.com/base/path'],
  ])('InvokeEndpoint with every member, region %s, endpoint %s', async (region, endpoint) => {
    const sdk = await sdkSigned(region, endpoint, new InvokeEndpointCommand(fullInput));
    const sink: TransportRequest[] = [];
    const events = await lastValueFrom(ourClient(region, endpoint, sink).invokeEndpoint$(fullInput).pipe(toArray()));
    expect(events.map((e) => e.type)).toEqual(['sent', 'response']);
    const ours = lower(sink[0]!.headers);
    const theirs = lower(sdk.headers);
    expect(theirs.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDFIDELITY\/20260203\//);
    expect(ours.authorization).toBe(theirs.authorization);
    // Same signed header set and values.
    const signed = /SignedHeaders=([^,]+)/.exec(theirs.authorization!)![1]!.split(';');
    expect(signed).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'content-type', 'content-length']));
    for (const h of signed) expect([h, ours[h]]).toEqual([h, theirs[h]]);
    expect(new URL(sink[0]!.url).pathname).toBe(sdk.path);
    expect(Buffer.from(sink[0]!.body).equals(Buffer.from(sdk.body))).toBe(true);
  });

  it('InvokeEndpoint with a binary body and no ContentType', async () => {
    const input = { EndpointName: 'bin', Body: new Uint8Array([0, 1, 2, 3, 254, 255]) };
    const sdk = await sdkSigned('ap-southeast-2', undefined, new InvokeEndpointCommand(input));
    const sink: TransportRequest[] = [];
    await lastValueFrom(ourClient('ap-southeast-2', undefined, sink).invokeEndpoint$(input).pipe(toArray()));
    expect(lower(sink[0]!.headers).authorization).toBe(lower(sdk.headers).authorization);
    expect(lower(sink[0]!.headers)['content-type']).toBe('application/octet-stream');
  });

  it('InvokeEndpointWithResponseStream, through the shared attempt pipeline', async () => {
    const input = { EndpointName: 'stream', Body: '{"inputs":"hi"}', ContentType: 'application/json', Accept: 'text/event-stream', SessionId: 'sess-1', InferenceComponentName: 'ic' };
    const sdk = await sdkSigned('us-west-2', undefined, new InvokeEndpointWithResponseStreamCommand(input));
    const sink: TransportRequest[] = [];
    const client = ourClient('us-west-2', undefined, sink);
    const deps = (client as unknown as { attemptDeps: Parameters<typeof attempt$>[0] }).attemptDeps;
    const handler = bufferedResponseHandler(() => ({ type: 'accepted', attempt: 1, timestamp: 0, output: { $metadata: {} } }) as const);
    await lastValueFrom(attempt$(deps, 'InvokeEndpointWithResponseStream', input, handler).pipe(toArray()));
    expect(lower(sink[0]!.headers).authorization).toBe(lower(sdk.headers).authorization);
  });

  it('InvokeEndpointAsync with an inline Body, through the shared attempt pipeline', async () => {
    const input = { EndpointName: 'async', Body: 'a,b,c', ContentType: 'text/csv', InferenceId: 'i-1', RequestTTLSeconds: 600, InvocationTimeoutSeconds: 900, Filename: 'out.csv' };
    const sdk = await sdkSigned('us-east-1', undefined, new InvokeEndpointAsyncCommand(input));
    const sink: TransportRequest[] = [];
    const client = ourClient('us-east-1', undefined, sink);
    const deps = (client as unknown as { attemptDeps: Parameters<typeof attempt$>[0] }).attemptDeps;
    const handler = bufferedResponseHandler(() => ({ type: 'accepted', attempt: 1, timestamp: 0, output: { $metadata: {} } }) as const);
    await lastValueFrom(attempt$(deps, 'InvokeEndpointAsync', input, handler).pipe(toArray()));
    expect(lower(sink[0]!.headers).authorization).toBe(lower(sdk.headers).authorization);
    expect(lower(sink[0]!.headers)['x-amzn-sagemaker-requestttlseconds']).toBe('600');
  });

  it('differs only by the date when the date differs (the comparison can fail)', async () => {
    const sdk = await sdkSigned('us-east-1', undefined, new InvokeEndpointCommand(fullInput));
    const sink: TransportRequest[] = [];
    const client = new SageMakerRuntime(
      { region: 'us-east-1', credentials: { ...CREDENTIALS }, transport: capturingTransport(sink) },
      { signingDate: () => new Date(DATE.getTime() + 1000) },
    );
    await lastValueFrom(client.invokeEndpoint$(fullInput).pipe(toArray()));
    expect(lower(sink[0]!.headers).authorization).not.toBe(lower(sdk.headers).authorization);
  });
});

describe('user-agent', () => {
  it('names the package version from package.json', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
