// The official @aws-sdk/client-sagemaker-runtime against the emulator, unchanged: it must
// succeed, read every output member, decode the response stream, and name each error as AWS does.
import {
  InvokeEndpointAsyncCommand,
  InvokeEndpointCommand,
  InvokeEndpointWithResponseStreamCommand,
  SageMakerRuntimeClient,
  type SageMakerRuntimeServiceException,
} from '@aws-sdk/client-sagemaker-runtime';
import { DEFAULT_GENERATOR_TEXT, EMULATOR_CREDENTIALS, startEmulator, type Emulator } from '../../src/emulator/index.js';

let emulator: Emulator;
let client: SageMakerRuntimeClient;
const clients: SageMakerRuntimeClient[] = [];

function sdkClient(credentials: { accessKeyId: string; secretAccessKey: string } = { ...EMULATOR_CREDENTIALS }): SageMakerRuntimeClient {
  const c = new SageMakerRuntimeClient({ region: 'us-east-1', endpoint: emulator.url, credentials, maxAttempts: 1 });
  clients.push(c);
  return c;
}

async function rejection(promise: Promise<unknown>): Promise<SageMakerRuntimeServiceException & Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    return err as SageMakerRuntimeServiceException & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  emulator = await startEmulator({
    endpoints: {
      echo: { model: 'echo', variant: 'Variant-A' },
      session: { model: () => ({ body: '{"ok":true}', contentType: 'application/json', customAttributes: 'from=model', closedSessionId: 'old-session' }) },
      generator: { model: 'text-generator', generator: { tokensPerSecond: 2000, splitAt: 'utf8-inside' } },
      broken: { model: 'text-generator', generator: { tokensPerSecond: 2000 }, faults: { stream: { fault: 'ModelStreamError', afterChunks: 2, errorCode: 'StreamBroken' } } },
      internal: { model: 'text-generator', generator: { tokensPerSecond: 2000 }, faults: { stream: { fault: 'InternalStreamFailure', afterChunks: 1 } } },
      'model-error': { model: 'echo', faults: { modelErrorRate: 1, modelErrorStatus: 404 } },
      'not-ready': { model: 'echo', faults: { throttleRate: 1, throttleAs: 'ModelNotReadyException' } },
      throttled: { model: 'echo', faults: { throttleRate: 1, throttleAs: 'ThrottlingException' } },
      unavailable: { model: 'echo', faults: { serverErrorRate: 1, serverErrorStatus: 503 } },
      internal500: { model: 'echo', faults: { serverErrorRate: 1, serverErrorStatus: 500 } },
    },
  });
  client = sdkClient();
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await emulator.close();
});

beforeEach(() => emulator.reset());

describe('InvokeEndpointCommand', () => {
  it('succeeds and reads every output member', async () => {
    const out = await client.send(
      new InvokeEndpointCommand({
        EndpointName: 'echo',
        Body: new TextEncoder().encode('{"x":1}'),
        ContentType: 'application/json',
        Accept: 'application/json',
        CustomAttributes: 'trace=abc',
        TargetVariant: 'Variant-A',
        InferenceId: 'inf-1',
        SessionId: 'NEW_SESSION',
      }),
    );
    expect(new TextDecoder().decode(out.Body)).toBe('{"x":1}');
    expect(out.ContentType).toBe('application/json');
    expect(out.InvokedProductionVariant).toBe('Variant-A');
    expect(out.CustomAttributes).toBe('trace=abc');
    expect(out.NewSessionId).toMatch(/^[0-9a-f-]+; Expires=\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toBe(emulator.requests[0]!.id);
    const headers = emulator.requests[0]!.headers;
    expect(headers['x-amzn-sagemaker-target-variant']).toBe('Variant-A');
    expect(headers['x-amzn-sagemaker-inference-id']).toBe('inf-1');
    expect(headers['user-agent']).toMatch(/aws-sdk-js/);
  });

  it('reads ClosedSessionId and the model custom attributes', async () => {
    const out = await client.send(new InvokeEndpointCommand({ EndpointName: 'session', Body: 'x', SessionId: 'old-session' }));
    expect(out.ClosedSessionId).toBe('old-session');
    expect(out.CustomAttributes).toBe('from=model');
    expect(out.NewSessionId).toBeUndefined();
    // The SDK's default content type for a blob payload arrives at the model.
    expect(emulator.requests[0]!.headers['content-type']).toBe('application/octet-stream');
  });

  it('throws ModelError with OriginalStatusCode, OriginalMessage and LogStreamArn', async () => {
    const err = await rejection(client.send(new InvokeEndpointCommand({ EndpointName: 'model-error', Body: 'x' })));
    expect(err.name).toBe('ModelError');
    expect(err['OriginalStatusCode']).toBe(404);
    expect(err['OriginalMessage']).toBe('{"error":"injected model error (404)"}');
    expect(err['LogStreamArn']).toBe('arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/Endpoints/model-error');
    expect(err.message).toMatch(/^Received client error \(404\) from primary/);
    expect(err.$metadata.httpStatusCode).toBe(424);
    expect(err.$fault).toBe('client');
  });

  it('throws ValidationError for an unknown endpoint', async () => {
    const err = await rejection(client.send(new InvokeEndpointCommand({ EndpointName: 'missing', Body: 'x' })));
    expect(err.name).toBe('ValidationError');
    expect(err.message).toBe('Endpoint missing of account 123456789012 not found.');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it.each([
    ['not-ready', 'ModelNotReadyException', 429],
    ['throttled', 'ThrottlingException', 400],
    ['unavailable', 'ServiceUnavailable', 503],
    ['internal500', 'InternalFailure', 500],
  ])('throws the fault of endpoint %s as %s (%i)', async (endpoint, name, status) => {
    const err = await rejection(client.send(new InvokeEndpointCommand({ EndpointName: endpoint, Body: 'x' })));
    expect(err.name).toBe(name);
    expect(err.$metadata.httpStatusCode).toBe(status);
    expect(err.$metadata.requestId).toBe(emulator.requests[0]!.id);
    expect(emulator.requests).toHaveLength(1); // maxAttempts: 1
  });

  it('retries a 503 with its default retry strategy and the emulator sees each attempt', async () => {
    const retrying = new SageMakerRuntimeClient({ region: 'us-east-1', endpoint: emulator.url, credentials: { ...EMULATOR_CREDENTIALS }, maxAttempts: 2 });
    clients.push(retrying);
    const err = await rejection(retrying.send(new InvokeEndpointCommand({ EndpointName: 'unavailable', Body: 'x' })));
    expect(err.name).toBe('ServiceUnavailable');
    expect(err.$metadata.attempts).toBe(2);
    expect(emulator.requests.map((r) => r.headers['amz-sdk-request'])).toEqual(['attempt=1; max=2', 'attempt=2; max=2']);
  });

  it('throws InvalidSignatureException for a wrong secret and UnrecognizedClientException for an unknown key', async () => {
    const wrongSecret = await rejection(
      sdkClient({ accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'not-the-secret' }).send(new InvokeEndpointCommand({ EndpointName: 'echo', Body: 'x' })),
    );
    expect(wrongSecret.name).toBe('InvalidSignatureException');
    expect(wrongSecret.$metadata.httpStatusCode).toBe(403);
    const unknownKey = await rejection(
      sdkClient({ accessKeyId: 'AKIDSOMEONEELSE', secretAccessKey: 'x' }).send(new InvokeEndpointCommand({ EndpointName: 'echo', Body: 'x' })),
    );
    expect(unknownKey.name).toBe('UnrecognizedClientException');
  });
});

describe('InvokeEndpointWithResponseStreamCommand', () => {
  it('decodes the PayloadParts (cut inside UTF-8 characters) into the generator text', async () => {
    const out = await client.send(new InvokeEndpointWithResponseStreamCommand({ EndpointName: 'generator', Body: '{"inputs":"go"}', ContentType: 'application/json', Accept: 'application/jsonlines' }));
    expect(out.ContentType).toBe('application/jsonlines');
    expect(out.InvokedProductionVariant).toBe('AllTraffic');
    expect(out.$metadata.requestId).toBe(emulator.requests[0]!.id);
    const parts: Uint8Array[] = [];
    for await (const event of out.Body!) {
      if (event.PayloadPart?.Bytes) parts.push(event.PayloadPart.Bytes);
    }
    const text = Buffer.concat(parts)
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { token: { text: string } }).token.text)
      .join('');
    expect(text).toBe(DEFAULT_GENERATOR_TEXT);
    expect(parts.length).toBeGreaterThan(text.split(' ').length);
    expect(emulator.requests[0]!.headers['x-amzn-sagemaker-accept']).toBe('application/jsonlines');
  });

  it('throws ModelStreamError with its ErrorCode on a mid-stream exception, after the first chunks', async () => {
    const out = await client.send(new InvokeEndpointWithResponseStreamCommand({ EndpointName: 'broken', Body: '{}' }));
    const received: string[] = [];
    const err = await rejection(
      (async () => {
        for await (const event of out.Body!) if (event.PayloadPart?.Bytes) received.push(Buffer.from(event.PayloadPart.Bytes).toString());
      })(),
    );
    expect(received).toHaveLength(2);
    expect(err.name).toBe('ModelStreamError');
    expect(err['ErrorCode']).toBe('StreamBroken');
  });

  it('throws InternalStreamFailure on a mid-stream internal failure', async () => {
    const out = await client.send(new InvokeEndpointWithResponseStreamCommand({ EndpointName: 'internal', Body: '{}' }));
    const err = await rejection(
      (async () => {
        for await (const event of out.Body!) void event;
      })(),
    );
    expect(err.name).toBe('InternalStreamFailure');
  });
});

describe('InvokeEndpointAsyncCommand', () => {
  it('gets the InferenceId and the output and failure locations for an S3 input', async () => {
    const out = await client.send(
      new InvokeEndpointAsyncCommand({ EndpointName: 'echo', InputLocation: 's3://bucket/input.json', InferenceId: 'inf-7', ContentType: 'application/json', RequestTTLSeconds: 600 }),
    );
    expect(out.InferenceId).toBe('inf-7');
    expect(out.OutputLocation).toBe('s3://sagemaker-emulator/echo/output/inf-7.out');
    expect(out.FailureLocation).toBe('s3://sagemaker-emulator/echo/failure/inf-7.out');
    expect(out.$metadata.httpStatusCode).toBe(202);
    const headers = emulator.requests[0]!.headers;
    expect(headers['x-amzn-sagemaker-inputlocation']).toBe('s3://bucket/input.json');
    expect(headers['x-amzn-sagemaker-content-type']).toBe('application/json');
    expect(headers['x-amzn-sagemaker-requestttlseconds']).toBe('600');
    // Current SDKs send a `{}` placeholder body beside InputLocation; older ones nothing.
    expect(['', '{}']).toContain(emulator.requests[0]!.body.toString());
  });

  it('throws ValidationError when neither Body nor InputLocation is given', async () => {
    const err = await rejection(client.send(new InvokeEndpointAsyncCommand({ EndpointName: 'echo' })));
    expect(err.name).toBe('ValidationError');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });
});
