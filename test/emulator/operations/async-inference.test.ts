// InvokeEndpointAsync over real sockets as the service runs it: 202 at once, the model run
// afterwards with its faults, the output or failure object written to the emulator's own
// S3-compatible store, read back with GET/HEAD signed for service `s3`.
import { Agent } from 'undici';
import { startEmulator, type Emulator, type ModelRequest, type ModelResponse } from '../../../src/emulator/index.js';
import { send, sendS3 } from '../../integration/emulator-helpers.js';

const ASYNC = (name: string) => `/endpoints/${name}/async-invocations`;

let emulator: Emulator;
let agent: Agent;
const seen: ModelRequest[] = [];
let release: (() => void) | undefined;

beforeAll(async () => {
  agent = new Agent();
  emulator = await startEmulator({
    endpoints: {
      echo: { model: 'echo' },
      upper: {
        model: (req) => {
          seen.push(req);
          return { body: req.body.toString().toUpperCase(), contentType: 'text/x-upper' };
        },
      },
      gated: {
        model: async (req) => {
          await new Promise<void>((resolve) => (release = resolve));
          return { body: `done ${req.body.toString()}` };
        },
      },
      slow: { model: 'echo', faults: { latencyMs: 1_000 } },
      refusing: { model: () => ({ status: 400, body: '{"error":"bad input"}', contentType: 'application/json' }) },
      'model-error': { model: 'echo', faults: { modelErrorRate: 1, modelErrorStatus: 503 } },
      'not-ready': { model: 'echo', faults: { throttleRate: 1, throttleAs: 'ModelNotReadyException' } },
      dependency: { model: 'echo', faults: { failWhen: () => 'dependencyError' } },
      unavailable: { model: 'echo', faults: { serverErrorRate: 1, serverErrorStatus: 503 } },
      hanging: { model: (req) => new Promise<ModelResponse>((resolve) => req.signal.addEventListener('abort', () => resolve({ body: 'late' }))) },
    },
  });
});

afterAll(async () => {
  await agent.close();
  await emulator.close();
});

beforeEach(() => {
  emulator.reset();
  seen.length = 0;
});

async function invokeAsync(name: string, body: string, headers: Record<string, string> = {}) {
  const res = await send(emulator, agent, { path: ASYNC(name), body, headers });
  return { res, output: res.headers['x-amzn-sagemaker-outputlocation']!, failure: res.headers['x-amzn-sagemaker-failurelocation']! };
}

describe('InvokeEndpointAsync runs the model after its 202', () => {
  it('answers 202 before the model has run, then writes the output object, readable with a signed GetObject', async () => {
    const { res, output, failure } = await invokeAsync('gated', 'job-1', { 'x-amzn-sagemaker-inference-id': 'inf-gated' });
    expect(res.status).toBe(202);
    expect(res.json()).toEqual({ InferenceId: 'inf-gated' });
    expect(output).toBe('s3://sagemaker-emulator/gated/output/inf-gated.out');
    expect(failure).toBe('s3://sagemaker-emulator/gated/failure/inf-gated.out');
    expect((await sendS3(emulator, agent, { method: 'HEAD', uri: output })).status).toBe(404);
    release!();
    await emulator.asyncIdle();
    const got = await sendS3(emulator, agent, { method: 'GET', uri: output });
    expect(got.status).toBe(200);
    expect(got.body.toString()).toBe('done job-1');
    expect(got.headers['etag']).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await sendS3(emulator, agent, { method: 'HEAD', uri: failure })).status).toBe(404);
    expect(emulator.requests.find((r) => r.operation === 'InvokeEndpointAsync')!.asyncOutcome).toBe('output');
  });

  it('does not wait out the latency before its 202: the latency delays the output instead', async () => {
    const started = Date.now();
    const { res, output } = await invokeAsync('slow', 'x');
    expect(res.status).toBe(202);
    expect(Date.now() - started).toBeLessThan(500);
    const written = await emulator.waitForRequest((r) => r.asyncOutcome !== undefined, 5_000);
    expect(written.asyncOutcome).toBe('output');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect((await sendS3(emulator, agent, { method: 'GET', uri: output })).body.toString()).toBe('x');
  });

  it('hands the model the async content type and accept, and the API headers only', async () => {
    await invokeAsync('upper', 'hello', { 'x-amzn-sagemaker-content-type': 'text/plain', 'x-amzn-sagemaker-accept': 'text/x-upper', 'x-my-header': 'dropped' });
    await emulator.asyncIdle();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ operation: 'InvokeEndpointAsync', contentType: 'text/plain', accept: 'text/x-upper', body: Buffer.from('hello') });
    expect(Object.keys(seen[0]!.headers).sort()).toEqual(['x-amzn-sagemaker-accept', 'x-amzn-sagemaker-content-type']);
  });

  it('HeadObject answers the content type, length and ETag without a body', async () => {
    const { output } = await invokeAsync('upper', 'abc');
    await emulator.asyncIdle();
    const head = await sendS3(emulator, agent, { method: 'HEAD', uri: output });
    expect(head.status).toBe(200);
    expect(head.headers).toMatchObject({ 'content-type': 'text/x-upper', 'content-length': '3' });
    expect(head.body).toHaveLength(0);
  });

  it('reads an InputLocation object put in the store, and writes under S3OutputPathExtension and Filename', async () => {
    const put = await sendS3(emulator, agent, { method: 'PUT', uri: 's3://inputs/batch/one.txt', body: 'from s3', headers: { 'content-type': 'text/plain' } });
    expect(put.status).toBe(200);
    const { res, output } = await invokeAsync('upper', '', {
      'x-amzn-sagemaker-inputlocation': 's3://inputs/batch/one.txt',
      'x-amzn-sagemaker-s3outputpathextension': 'runs/7',
      'x-amzn-sagemaker-filename': 'result.txt',
    });
    expect(res.status).toBe(202);
    expect(output).toBe('s3://sagemaker-emulator/upper/output/runs/7/result.txt');
    await emulator.asyncIdle();
    expect(emulator.objects.get(output)?.body.toString()).toBe('FROM S3');
  });

  it('writes a failure object naming the missing InputLocation object', async () => {
    const { failure } = await invokeAsync('echo', '', { 'x-amzn-sagemaker-inputlocation': 's3://inputs/missing.json' });
    await emulator.asyncIdle();
    const got = await sendS3(emulator, agent, { method: 'GET', uri: failure });
    expect(got.status).toBe(200);
    expect(got.body.toString()).toMatch(/s3:\/\/inputs\/missing\.json/);
  });
});

describe('failures of an async inference are written, not answered', () => {
  it('a container answering 400 gets its body written at the failure location', async () => {
    const { res, output, failure } = await invokeAsync('refusing', 'x');
    expect(res.status).toBe(202);
    await emulator.asyncIdle();
    const got = await sendS3(emulator, agent, { method: 'GET', uri: failure });
    expect(got.body.toString()).toBe('{"error":"bad input"}');
    expect(got.headers['content-type']).toBe('application/json');
    expect((await sendS3(emulator, agent, { method: 'HEAD', uri: output })).status).toBe(404);
  });

  it.each([
    ['model-error', /injected model error \(503\)/],
    ['dependency', /internal dependency/i],
  ])('the %s fault is a 202 and then a failure object', async (name, text) => {
    const { res, failure } = await invokeAsync(name, 'x');
    expect(res.status).toBe(202);
    await emulator.asyncIdle();
    expect(emulator.objects.get(failure)?.body.toString()).toMatch(text);
  });

  it('a throttle drawn for the async operation is a ThrottlingException, never ModelNotReadyException', async () => {
    const { res } = await invokeAsync('not-ready', 'x');
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toMatch(/^ThrottlingException:/);
    expect(res.json()).toEqual({ message: null });
  });

  it('a server error is answered at once (the async model lists ServiceUnavailable)', async () => {
    const { res } = await invokeAsync('unavailable', 'x');
    expect(res.status).toBe(503);
    expect(res.headers['x-amzn-errortype']).toMatch(/^ServiceUnavailable:/);
  });

  it('a model that outlives InvocationTimeoutSeconds gets the timeout written as its failure, and its signal aborted', async () => {
    const { failure } = await invokeAsync('hanging', 'x', { 'x-amzn-sagemaker-invocationtimeoutseconds': '1' });
    await emulator.asyncIdle();
    expect(emulator.objects.get(failure)?.body.toString()).toBe(
      'Your invocation timed out while waiting for a response from container primary. Review the latency metrics for each container in Amazon CloudWatch, resolve the issue, and try again.',
    );
  });
});

describe('the object store', () => {
  it('answers a missing key with S3 NoSuchKey XML, and HEAD with a bare 404', async () => {
    const got = await sendS3(emulator, agent, { method: 'GET', uri: 's3://sagemaker-emulator/none/output/x.out' });
    expect(got.status).toBe(404);
    expect(got.headers['content-type']).toBe('application/xml');
    expect(got.body.toString()).toMatch(/<Code>NoSuchKey<\/Code><Message>The specified key does not exist\.<\/Message><Key>none\/output\/x\.out<\/Key>/);
    const head = await sendS3(emulator, agent, { method: 'HEAD', uri: 's3://sagemaker-emulator/none/output/x.out' });
    expect(head.status).toBe(404);
    expect(head.body).toHaveLength(0);
  });

  it.each([
    ['unsigned', 403, 'AccessDenied', { credentials: false as const }],
    ['signed with an unknown key', 403, 'InvalidAccessKeyId', { credentials: { accessKeyId: 'AKIDOTHER', secretAccessKey: 'x' } }],
    ['signed with the wrong secret', 403, 'SignatureDoesNotMatch', { credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'wrong' } }],
    ['signed for sagemaker instead of s3', 400, 'AuthorizationHeaderMalformed', { service: 'sagemaker' }],
  ])('refuses a GetObject %s with %d %s', async (_label, status, code, options) => {
    emulator.objects.set('s3://sagemaker-emulator/auth/output/a.out', { body: 'secret' });
    const got = await sendS3(emulator, agent, { method: 'GET', uri: 's3://sagemaker-emulator/auth/output/a.out', ...options });
    expect(got.status).toBe(status);
    expect(got.body.toString()).toContain(`<Code>${code}</Code>`);
    expect(got.body.toString()).not.toContain('secret');
  });

  it('keys with spaces and unicode round-trip through PutObject and GetObject', async () => {
    const uri = 's3://inputs/dir/a file ü.json';
    expect((await sendS3(emulator, agent, { method: 'PUT', uri, body: '{"a":1}' })).status).toBe(200);
    const got = await sendS3(emulator, agent, { method: 'GET', uri });
    expect(got.status).toBe(200);
    expect(got.body.toString()).toBe('{"a":1}');
    expect(emulator.objects.keys()).toContain(uri);
  });
});
