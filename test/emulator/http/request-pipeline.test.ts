// Stages of the emulator's pipeline over real sockets: the model time limit, what the request
// log keeps of a rejected request, and the SigV4 check of odd SignedHeaders.
import { Agent } from 'undici';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator, type ModelResponse } from '../../../src/emulator/index.js';
import { send } from '../../integration/emulator-helpers.js';

let emulator: Emulator;
let agent: Agent;
let aborted: string[] = [];

const TIMEOUT_TEXT =
  'Your invocation timed out while waiting for a response from container primary. Review the latency metrics for each container in Amazon CloudWatch, resolve the issue, and try again.';

beforeAll(async () => {
  agent = new Agent();
  emulator = await startEmulator({
    modelTimeoutMs: 200,
    endpoints: {
      echo: { model: 'echo' },
      hanging: {
        model: (req) =>
          new Promise<ModelResponse>((resolve) =>
            req.signal.addEventListener('abort', () => {
              aborted.push(req.endpointName);
              resolve({ body: 'too late' });
            }),
          ),
      },
      'slow-latency': { model: 'echo', faults: { latencyMs: 5_000 } },
      quick: { model: 'echo', faults: { latencyMs: 50 } },
      'slow-stream-start': {
        model: async (req) => {
          // Slower than the limit; the timeout aborts the signal, which ends the wait (no timer left behind).
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 1_000);
            req.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
          });
          return { chunks: ['late'] };
        },
      },
      'stream-past-limit': { model: 'text-generator', generator: { tokensPerSecond: 20, text: 'one two three four five six seven eight' } },
      containers: { containers: { 'c-1': { model: (req) => new Promise<ModelResponse>((resolve) => req.signal.addEventListener('abort', () => resolve({ body: '' }))) } } },
    },
  });
});

afterAll(async () => {
  await agent.close();
  await emulator.close();
});

beforeEach(() => {
  emulator.reset();
  aborted = [];
});

describe('the model time limit (modelTimeoutMs)', () => {
  it('answers a model that does not answer in time with 424 ModelError, OriginalStatusCode 0, and aborts its signal', async () => {
    const started = Date.now();
    const res = await send(emulator, agent, { path: '/endpoints/hanging/invocations', body: 'x' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(res.status).toBe(424);
    expect(res.headers['x-amzn-errortype']).toMatch(/^ModelError:/);
    const body = res.json();
    expect(body).toMatchObject({ OriginalStatusCode: 0, OriginalMessage: TIMEOUT_TEXT, ErrorCode: 'SERVER_ERROR_FROM_MODEL' });
    expect(body['Message']).toBe(
      `Received server error (0) from primary with message "${TIMEOUT_TEXT}". See https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logEventViewer:group=/aws/sagemaker/Endpoints/hanging in account 123456789012 for more information.`,
    );
    expect(aborted).toEqual(['hanging']);
  });

  it('counts the endpoint latency: a 5 s latency under a 200 ms limit is a 424 after about 200 ms', async () => {
    const started = Date.now();
    const res = await send(emulator, agent, { path: '/endpoints/slow-latency/invocations', body: 'x' });
    expect(res.status).toBe(424);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(res.json()['OriginalStatusCode']).toBe(0);
  });

  it('lets a model that answers within the limit answer', async () => {
    const res = await send(emulator, agent, { path: '/endpoints/quick/invocations', body: 'in time' });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('in time');
  });

  it('applies to a stream until its headers go out, and not after', async () => {
    const late = await send(emulator, agent, { path: '/endpoints/slow-stream-start/invocations-response-stream', body: 'x' });
    expect(late.status).toBe(424);
    expect(late.json()['OriginalStatusCode']).toBe(0);
    // 8 tokens at 20/s take ~350 ms after the first: past the limit, yet the stream completes.
    const long = await send(emulator, agent, { path: '/endpoints/stream-past-limit/invocations-response-stream', body: '{}' });
    expect(long.status).toBe(200);
    expect(long.body.toString()).toContain('eight');
  });

  it('names the container of a multi-container endpoint in the message', async () => {
    const res = await send(emulator, agent, { path: '/endpoints/containers/invocations', body: 'x', headers: { 'x-amzn-sagemaker-target-container-hostname': 'c-1' } });
    expect(res.status).toBe(424);
    expect(res.json()['OriginalMessage']).toMatch(/from container c-1\./);
  });
});

describe('the request log and authentication', () => {
  it('does not keep the body of a request rejected as unsigned or badly signed, only its size', async () => {
    const big = 'b'.repeat(200_000);
    await send(emulator, agent, { body: big, credentials: false });
    await send(emulator, agent, { body: big, credentials: { ...EMULATOR_CREDENTIALS, secretAccessKey: 'wrong' } });
    await send(emulator, agent, { body: 'kept' });
    expect(emulator.requests.map((r) => [r.status, r.body.length, r.bodyLength])).toEqual([
      [403, 0, 200_000],
      [403, 0, 200_000],
      [200, 4, 4],
    ]);
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('answers SignedHeaders naming %s with the signature error, not a 500', async (name) => {
    const res = await send(emulator, agent, {
      body: 'x',
      unsignedHeaders: {
        authorization: `AWS4-HMAC-SHA256 Credential=AKIDEMULATOR/${new Date().toISOString().slice(0, 10).replace(/-/g, '')}/us-east-1/sagemaker/aws4_request, SignedHeaders=host;${name};x-amz-date, Signature=${'0'.repeat(64)}`,
      },
    });
    expect(res.status).toBe(403);
    expect(res.headers['x-amzn-errortype']).toMatch(/^InvalidSignatureException:/);
  });
});
