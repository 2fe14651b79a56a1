// The emulator over real sockets: authentication answers, routing, errors, models, faults,
// cancellable latency, the concurrency cap, the request log and close().
import { Agent, request } from 'undici';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator, type ModelRequest } from '../../src/emulator/index.js';
import { send } from './emulator-helpers.js';

const SAGEMAKER_NS = 'http://internal.amazon.com/coral/com.amazon.sagemaker/';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let emulator: Emulator;
let agent: Agent;
const calls: ModelRequest[] = [];

beforeAll(async () => {
  agent = new Agent({ connections: 16 });
  emulator = await startEmulator({
    endpoints: {
      echo: { model: 'echo' },
      sentiment: { model: 'sentiment' },
      counted: {
        model: (req) => {
          calls.push(req);
          return { body: 'ok', contentType: 'text/plain' };
        },
        faults: { latencyMs: 400 },
      },
    },
  });
});

afterAll(async () => {
  await agent.close();
  await emulator.close();
});

beforeEach(() => {
  emulator.reset();
  calls.length = 0;
});

function expectAwsError(res: { status: number; headers: Record<string, string>; json: () => Record<string, unknown> }, status: number, name: string) {
  expect(res.status).toBe(status);
  expect(res.headers['x-amzn-errortype']).toMatch(new RegExp(`^${name}:http://internal\\.amazon\\.com/coral/`));
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.headers['x-amzn-requestid']).toMatch(UUID);
}

describe('authentication', () => {
  it('answers a request without Authorization with 403 MissingAuthenticationTokenException', async () => {
    const res = await send(emulator, agent, { credentials: false, body: 'x' });
    expectAwsError(res, 403, 'MissingAuthenticationTokenException');
    expect(res.json()).toEqual({ message: 'Missing Authentication Token' });
    expect(emulator.requests[0]).toMatchObject({ status: 403, errorType: 'MissingAuthenticationTokenException', id: res.headers['x-amzn-requestid'] });
  });

  it.each([
    ['a header of another scheme', 'Bearer abc'],
    ['a header without Signature and SignedHeaders', 'AWS4-HMAC-SHA256 Credential=AKIDEMULATOR/20240101/us-east-1/sagemaker/aws4_request'],
    ['a credential of three parts', 'AWS4-HMAC-SHA256 Credential=AKIDEMULATOR/20240101/us-east-1, SignedHeaders=host, Signature=abcd'],
    ['a pair without an equal sign', 'AWS4-HMAC-SHA256 Credential, SignedHeaders=host, Signature=abcd'],
  ])('answers %s with 403 IncompleteSignatureException', async (_label, authorization) => {
    const res = await send(emulator, agent, { credentials: false, headers: { authorization, 'x-amz-date': '20240101T000000Z' }, body: 'x' });
    expectAwsError(res, 403, 'IncompleteSignatureException');
    expect(typeof res.json()['message']).toBe('string');
  });

  it('answers a missing x-amz-date with IncompleteSignatureException naming the header', async () => {
    const res = await send(emulator, agent, {
      credentials: false,
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEMULATOR/20240101/us-east-1/sagemaker/aws4_request, SignedHeaders=host, Signature=ab' },
      body: 'x',
    });
    expectAwsError(res, 403, 'IncompleteSignatureException');
    expect(res.json()['message']).toMatch(/requires existence of either a 'X-Amz-Date' or a 'Date' header/);
  });

  it('answers an unknown access key with 403 UnrecognizedClientException', async () => {
    const res = await send(emulator, agent, { credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' }, body: 'x' });
    expectAwsError(res, 403, 'UnrecognizedClientException');
    expect(res.json()).toEqual({ message: 'The security token included in the request is invalid.' });
  });

  it('answers a wrong secret with 403 InvalidSignatureException', async () => {
    const res = await send(emulator, agent, { credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'wrong' }, body: 'x' });
    expectAwsError(res, 403, 'InvalidSignatureException');
    expect(res.json()['message']).toMatch(/^The request signature we calculated does not match the signature you provided\./);
  });

  it('answers a body changed after signing with 403 InvalidSignatureException (payload hash)', async () => {
    const res = await send(emulator, agent, { body: 'signed', bodyAfterSigning: 'tampered' });
    expectAwsError(res, 403, 'InvalidSignatureException');
    expect(res.json()['message']).toMatch(/x-amz-content-sha256/);
  });

  it('answers a signed header changed after signing with InvalidSignatureException', async () => {
    const res = await send(emulator, agent, {
      body: 'x',
      headers: { 'x-amzn-sagemaker-custom-attributes': 'a=1' },
      unsignedHeaders: { 'x-amzn-sagemaker-custom-attributes': 'a=2' },
    });
    expectAwsError(res, 403, 'InvalidSignatureException');
  });

  it('accepts UNSIGNED-PAYLOAD and extra unsigned headers such as user-agent and amz-sdk-*', async () => {
    const res = await send(emulator, agent, {
      body: 'hello',
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-type': 'text/plain' },
      unsignedHeaders: { 'user-agent': 'test/1.0', 'amz-sdk-invocation-id': 'abc', 'amz-sdk-request': 'attempt=1; max=3' },
    });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('hello');
  });

  it('answers a date 10 minutes old with InvalidSignatureException "Signature expired"', async () => {
    const res = await send(emulator, agent, { body: 'x', signingDate: new Date(Date.now() - 10 * 60_000) });
    expectAwsError(res, 403, 'InvalidSignatureException');
    expect(res.json()['message']).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
  });

  it('answers a date 10 minutes ahead with InvalidSignatureException "Signature not yet current"', async () => {
    const res = await send(emulator, agent, { body: 'x', signingDate: new Date(Date.now() + 10 * 60_000) });
    expectAwsError(res, 403, 'InvalidSignatureException');
    expect(res.json()['message']).toMatch(/^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/);
  });

  it('accepts a date 4 minutes old (inside the 5 minute skew)', async () => {
    const res = await send(emulator, agent, { body: 'x', signingDate: new Date(Date.now() - 4 * 60_000) });
    expect(res.status).toBe(200);
  });

  it('answers a wrong signing region or service with InvalidSignatureException naming the scope', async () => {
    const region = await send(emulator, agent, { body: 'x', region: 'eu-west-1' });
    expectAwsError(region, 403, 'InvalidSignatureException');
    expect(region.json()['message']).toMatch(/Credential should be scoped to a valid region, not 'eu-west-1'/);
    const service = await send(emulator, agent, { body: 'x', service: 'runtime.sagemaker' });
    expectAwsError(service, 403, 'InvalidSignatureException');
    expect(service.json()['message']).toMatch(/Credential should be scoped to correct service: 'sagemaker'/);
  });

  it('requires the session token of a credential that has one', async () => {
    const withToken = await startEmulator({ credentials: [{ accessKeyId: 'ASIATEMP', secretAccessKey: 'tmp-secret', sessionToken: 'token-1' }] });
    try {
      const ok = await send(withToken, agent, { body: 'x', credentials: { accessKeyId: 'ASIATEMP', secretAccessKey: 'tmp-secret', sessionToken: 'token-1' } });
      expect(ok.status).toBe(200);
      const missing = await send(withToken, agent, { body: 'x', credentials: { accessKeyId: 'ASIATEMP', secretAccessKey: 'tmp-secret' } });
      expectAwsError(missing, 403, 'UnrecognizedClientException');
      const wrong = await send(withToken, agent, { body: 'x', credentials: { accessKeyId: 'ASIATEMP', secretAccessKey: 'tmp-secret', sessionToken: 'token-2' } });
      expectAwsError(wrong, 403, 'UnrecognizedClientException');
      expect(withToken.requests.map((r) => r.status)).toEqual([200, 403, 403]);
    } finally {
      await withToken.close();
    }
  });

  it('skips verification when credentials is false', async () => {
    const open = await startEmulator({ credentials: false });
    try {
      const res = await send(open, agent, { credentials: false, body: 'anyone', headers: { 'content-type': 'text/plain' } });
      expect(res.status).toBe(200);
      expect(res.body.toString()).toBe('anyone');
    } finally {
      await open.close();
    }
  });
});

describe('routing and validation', () => {
  it.each([
    ['an unknown path', '/foo', 'POST'],
    ['an unknown operation', '/endpoints/echo/other', 'POST'],
    ['a GET of a known path', '/endpoints/echo/invocations', 'GET'],
  ] as const)('answers %s with 404 UnknownOperationException', async (_label, path, method) => {
    const res = await send(emulator, agent, { path, method });
    expectAwsError(res, 404, 'UnknownOperationException');
    expect(emulator.requests[0]).toMatchObject({ operation: 'Unknown', path, method, status: 404 });
  });

  it('answers an unknown endpoint with 400 ValidationError naming endpoint and account', async () => {
    const res = await send(emulator, agent, { path: '/endpoints/nope/invocations', body: 'x' });
    expectAwsError(res, 400, 'ValidationError');
    expect(res.headers['x-amzn-errortype']).toBe(`ValidationError:${SAGEMAKER_NS}`);
    expect(res.json()).toEqual({ message: 'Endpoint nope of account 123456789012 not found.' });
  });

  it('accepts a body of exactly 6,291,456 bytes and rejects one byte more with ValidationError', async () => {
    const max = Buffer.alloc(6_291_456, 0x61);
    const ok = await send(emulator, agent, { body: max, headers: { 'content-type': 'application/octet-stream' } });
    expect(ok.status).toBe(200);
    expect(ok.body.length).toBe(6_291_456);
    const over = await send(emulator, agent, { body: Buffer.alloc(6_291_457, 0x61) });
    expectAwsError(over, 400, 'ValidationError');
    expect(over.json()['message']).toBe(
      "1 validation error detected: Value at 'body' failed to satisfy constraint: Member must have length less than or equal to 6291456",
    );
  });

  it('rejects NEW_SESSION on the streaming operation and a bad endpoint name with coral messages', async () => {
    const res = await send(emulator, agent, {
      path: '/endpoints/echo/invocations-response-stream',
      body: 'x',
      headers: { 'x-amzn-sagemaker-session-id': 'NEW_SESSION' },
    });
    expectAwsError(res, 400, 'ValidationError');
    expect(res.json()['message']).toMatch(/^1 validation error detected: Value 'NEW_SESSION' at 'sessionId' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    const name = await send(emulator, agent, { path: '/endpoints/bad_name/invocations', body: 'x' });
    expectAwsError(name, 400, 'ValidationError');
    expect(name.json()['message']).toMatch(/Value 'bad_name' at 'endpointName'/);
  });

  it('rejects a ContentType or Accept over 1,024 characters or not ASCII, and an empty EnableExplanations, as the service does', async () => {
    const long = `application/${'x'.repeat(1013)}`; // 1,025 characters
    const contentType = await send(emulator, agent, { body: 'x', headers: { 'content-type': long } });
    expectAwsError(contentType, 400, 'ValidationError');
    expect(contentType.json()['message']).toBe(
      `1 validation error detected: Value '${long}' at 'contentType' failed to satisfy constraint: Member must have length less than or equal to 1024`,
    );
    const accept = await send(emulator, agent, {
      path: '/endpoints/echo/invocations-response-stream',
      body: 'x',
      headers: { 'x-amzn-sagemaker-accept': 'text/caf\u00e9' },
    });
    expectAwsError(accept, 400, 'ValidationError');
    expect(accept.json()['message']).toMatch(/Value 'text\/café' at 'accept' failed to satisfy constraint: Member must satisfy regular expression pattern: \\p\{ASCII\}\*/);
    const explanations = await send(emulator, agent, { body: 'x', headers: { 'x-amzn-sagemaker-enable-explanations': '' } });
    expectAwsError(explanations, 400, 'ValidationError');
    expect(explanations.json()['message']).toMatch(/at 'enableExplanations' failed to satisfy constraint: Member must have length greater than or equal to 1/);
    const fine = await send(emulator, agent, { body: 'x', headers: { 'content-type': `application/${'x'.repeat(1012)}`, accept: '*/*' } });
    expect(fine.status).toBe(200);
    expect(emulator.stats.byStatus).toEqual({ 400: 3, 200: 1 });
  });
});

describe('models', () => {
  it('echo returns body, content type, custom attributes, variant and request id', async () => {
    const res = await send(emulator, agent, {
      body: '{"a":1}',
      headers: { 'content-type': 'application/json', 'x-amzn-sagemaker-custom-attributes': 'trace=1' },
    });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('{"a":1}');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-amzn-sagemaker-custom-attributes']).toBe('trace=1');
    expect(res.headers['x-amzn-invoked-production-variant']).toBe('AllTraffic');
    expect(res.headers['x-amzn-requestid']).toBe(emulator.requests[0]!.id);
    expect(res.headers['x-amzn-sagemaker-new-session-id']).toBeUndefined();
  });

  it('answers SessionId NEW_SESSION with a new session id and its expiry', async () => {
    const res = await send(emulator, agent, { body: 'x', headers: { 'x-amzn-sagemaker-session-id': 'NEW_SESSION' } });
    expect(res.status).toBe(200);
    expect(res.headers['x-amzn-sagemaker-new-session-id']).toMatch(
      /^[a-zA-Z0-9](-*[a-zA-Z0-9])*;\sExpires=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$/,
    );
  });

  it('echo returns the headers it received under __headers when asked: the API headers only, as the service strips the rest', async () => {
    const res = await send(emulator, agent, {
      body: JSON.stringify({ __echoHeaders: true, x: 1 }),
      headers: { 'content-type': 'application/json', 'x-amzn-sagemaker-inference-id': 'inf-7', accept: 'application/json', 'x-my-tracing': 't1', 'user-agent': 'test/1' },
      unsignedHeaders: { 'amz-sdk-request': 'attempt=1; max=3', 'accept-encoding': 'gzip' },
    });
    const out = res.json() as { x: number; __headers: Record<string, string> };
    expect(out.x).toBe(1);
    expect(out.__headers).toEqual({ 'content-type': 'application/json', 'x-amzn-sagemaker-inference-id': 'inf-7', accept: 'application/json' });
    // The request log still has every header that arrived.
    expect(emulator.requests[0]!.headers).toMatchObject({ 'x-my-tracing': 't1', 'user-agent': 'test/1', 'amz-sdk-request': 'attempt=1; max=3' });
  });

  it('echo reads the flag however the JSON spells its key, and echoes any other JSON object unchanged', async () => {
    // The key written with a \u escape is still the flag: JSON is parsed whenever it could hold it.
    const escaped = await send(emulator, agent, { body: '{"\\u005f_echoHeaders": true}', headers: { 'content-type': 'application/json' } });
    expect((escaped.json() as { __headers?: Record<string, string> }).__headers).toEqual({ 'content-type': 'application/json' });
    const plain = '{"text":"__echo","__echoHeaders":false}';
    expect((await send(emulator, agent, { body: plain, headers: { 'content-type': 'application/json' } })).body.toString('utf8')).toBe(plain);
  });

  it.each([
    ['application/json', '{"text":"I love it, great value"}', 'application/json', '{"label":"POSITIVE","score":0.8333}'],
    ['application/json', '[{"inputs":"terrible and broken"},"not good","a chair"]', 'application/json',
      '[{"label":"NEGATIVE","score":0.8333},{"label":"NEGATIVE","score":0.75},{"label":"NEUTRAL","score":1}]'],
    ['application/jsonlines', '{"text":"great"}\n{"text":"awful"}\n', 'application/jsonlines',
      '{"label":"POSITIVE","score":0.75}\n{"label":"NEGATIVE","score":0.75}\n'],
    ['text/csv', 'very good\nbad\n', 'text/csv', 'POSITIVE,0.8333\nNEGATIVE,0.75\n'],
    ['text/plain', 'nice', 'application/json', '{"label":"POSITIVE","score":0.75}'],
  ])('sentiment scores %s input', async (contentType, body, outType, expected) => {
    const res = await send(emulator, agent, { path: '/endpoints/sentiment/invocations', body, headers: { 'content-type': contentType } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(outType);
    expect(res.body.toString()).toBe(expected);
  });

  it('sentiment answers unreadable JSON as a 424 ModelError with OriginalStatusCode 400', async () => {
    const res = await send(emulator, agent, { path: '/endpoints/sentiment/invocations', body: '{nope', headers: { 'content-type': 'application/json' } });
    expectAwsError(res, 424, 'ModelError');
    const body = res.json();
    expect(body['OriginalStatusCode']).toBe(400);
    expect(body['Message']).toMatch(/^Received client error \(400\) from primary with message "/);
    expect(body['OriginalMessage']).toMatch(/not valid JSON/);
  });

  it('a model function sees the request and answers non-2xx as ModelError, and session headers as asked', async () => {
    const seen: ModelRequest[] = [];
    emulator.setEndpoint('custom', {
      model: (req) => {
        seen.push(req);
        return req.body.toString() === 'fail'
          ? { status: 503, body: 'overloaded' }
          : { body: 'done', contentType: 'text/plain', customAttributes: 'c=1', closedSessionId: 'sess-1' };
      },
      variant: 'Blue',
    });
    const ok = await send(emulator, agent, { path: '/endpoints/custom/invocations', body: 'go', headers: { 'content-type': 'text/x-go', accept: 'text/plain' } });
    expect(ok.status).toBe(200);
    expect(ok.headers['x-amzn-invoked-production-variant']).toBe('Blue');
    expect(ok.headers['x-amzn-sagemaker-closed-session-id']).toBe('sess-1');
    expect(ok.headers['x-amzn-sagemaker-custom-attributes']).toBe('c=1');
    expect(seen[0]).toMatchObject({ contentType: 'text/x-go', accept: 'text/plain', endpointName: 'custom', operation: 'InvokeEndpoint' });
    const failed = await send(emulator, agent, { path: '/endpoints/custom/invocations', body: 'fail' });
    expectAwsError(failed, 424, 'ModelError');
    expect(failed.json()).toMatchObject({ OriginalStatusCode: 503, OriginalMessage: 'overloaded', ErrorCode: 'SERVER_ERROR_FROM_MODEL' });
    emulator.removeEndpoint('custom');
    const gone = await send(emulator, agent, { path: '/endpoints/custom/invocations', body: 'go' });
    expectAwsError(gone, 400, 'ValidationError');
  });

  it('a throwing model function is a ModelError with OriginalStatusCode 500', async () => {
    emulator.setEndpoint('thrower', {
      model: () => {
        throw new Error('container crashed');
      },
    });
    const res = await send(emulator, agent, { path: '/endpoints/thrower/invocations', body: 'x' });
    expectAwsError(res, 424, 'ModelError');
    expect(res.json()).toMatchObject({ OriginalStatusCode: 500, OriginalMessage: 'container crashed' });
  });
});

describe('faults', () => {
  it.each([
    [{ throttleRate: 1, throttleAs: 'ModelNotReadyException' as const }, 429, 'ModelNotReadyException', 'Message'],
    [{ throttleRate: 1, throttleAs: 'ThrottlingException' as const }, 400, 'ThrottlingException', 'message'],
    [{ serverErrorRate: 1, serverErrorStatus: 500 as const }, 500, 'InternalFailure', 'Message'],
    [{ serverErrorRate: 1, serverErrorStatus: 503 as const }, 503, 'ServiceUnavailable', 'Message'],
    [{ failWhen: () => 'dependencyError' as const }, 530, 'InternalDependencyException', 'Message'],
  ])('faults %j answer %i %s', async (faults, status, name, messageKey) => {
    emulator.setEndpoint('faulty', { model: 'echo', faults });
    const res = await send(emulator, agent, { path: '/endpoints/faulty/invocations', body: 'x' });
    expectAwsError(res, status, name);
    expect(res.headers['x-amzn-errortype']).toBe(`${name}:${name === 'ThrottlingException' ? 'http://internal.amazon.com/coral/com.amazon.coral.service/' : SAGEMAKER_NS}`);
    expect(Object.keys(res.json())).toEqual([messageKey]);
    expect(emulator.stats.byStatus[status]).toBe(1);
  });

  it('a model error fault answers 424 with OriginalStatusCode, OriginalMessage, LogStreamArn and ErrorCode', async () => {
    emulator.setEndpoint('faulty', { model: 'echo', faults: { modelErrorRate: 1, modelErrorStatus: 418 } });
    const res = await send(emulator, agent, { path: '/endpoints/faulty/invocations', body: 'x' });
    expectAwsError(res, 424, 'ModelError');
    expect(res.json()).toEqual({
      Message: expect.stringMatching(/^Received client error \(418\) from primary with message ".*"\. See https:\/\/us-east-1\.console\.aws\.amazon\.com\/cloudwatch\/.*\/aws\/sagemaker\/Endpoints\/faulty in account 123456789012 for more information\.$/),
      OriginalStatusCode: 418,
      OriginalMessage: '{"error":"injected model error (418)"}',
      LogStreamArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/Endpoints/faulty',
      ErrorCode: 'CLIENT_ERROR_FROM_MODEL',
    });
  });

  it('a reset fault destroys the socket without an answer', async () => {
    emulator.setEndpoint('faulty', { model: 'echo', faults: { resetRate: 1 } });
    const err = await send(emulator, agent, { path: '/endpoints/faulty/invocations', body: 'x' }).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(err).toBeDefined();
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(err!.code);
    const record = await emulator.waitForRequest((r) => r.completedAt !== undefined);
    expect(record.status).toBeUndefined();
    expect(record.closedByClient).toBe(false);
  });

  it('failWhen picks a fault per request (a poison record) and the others pass', async () => {
    emulator.setEndpoint('faulty', { model: 'echo', faults: { failWhen: (req) => (req.body.includes('poison') ? 'modelError' : undefined) } });
    const statuses: number[] = [];
    for (const body of ['a', 'poison', 'b']) statuses.push((await send(emulator, agent, { path: '/endpoints/faulty/invocations', body })).status);
    expect(statuses).toEqual([200, 424, 200]);
  });

  it('draws faults from the seeded RNG: the same seed gives the same sequence, another seed another one', async () => {
    const sequence = async (seed: number) => {
      const e = await startEmulator({ seed, endpoints: { flaky: { model: 'echo', faults: { throttleRate: 0.5 } } } });
      try {
        const out: number[] = [];
        for (let i = 0; i < 24; i++) out.push((await send(e, agent, { path: '/endpoints/flaky/invocations', body: 'x' })).status);
        return out;
      } finally {
        await e.close();
      }
    };
    const a = await sequence(7);
    const b = await sequence(7);
    const c = await sequence(8);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.filter((s) => s === 400).length).toBeGreaterThan(3);
    expect(a.filter((s) => s === 200).length).toBeGreaterThan(3);
  });

  it('delays the answer by latencyMs', async () => {
    emulator.setEndpoint('slow', { model: 'echo', faults: { latencyMs: 250 } });
    const started = Date.now();
    const res = await send(emulator, agent, { path: '/endpoints/slow/invocations', body: 'x' });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('a client leaving during the latency is recorded as closedByClient and the model never runs', async () => {
    const controller = new AbortController();
    const pending = send(emulator, agent, { path: '/endpoints/counted/invocations', body: 'x', signal: controller.signal }).catch((e: Error) => e);
    await emulator.waitForRequest((r) => r.endpointName === 'counted');
    setTimeout(() => controller.abort(), 50);
    const record = await emulator.waitForRequest((r) => r.closedByClient);
    expect((await pending as Error).name).toBe('AbortError');
    expect(record.status).toBeUndefined();
    expect(record.completedAt).toBeDefined();
    await new Promise((r) => setTimeout(r, 500)); // past the 400 ms latency: still no model call
    expect(calls).toHaveLength(0);
    expect(emulator.stats.inFlight).toBe(0);
    expect(emulator.endpointStats('counted').inFlight).toBe(0);
  });

  it('throttles requests above maxConcurrency as ThrottlingException while the others succeed', async () => {
    emulator.setEndpoint('capped', { model: 'echo', faults: { maxConcurrency: 2, latencyMs: 300 } });
    const results = await Promise.all(Array.from({ length: 5 }, () => send(emulator, agent, { path: '/endpoints/capped/invocations', body: 'x' })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 400, 400, 400]);
    expect(results.filter((r) => r.status === 400).every((r) => r.headers['x-amzn-errortype']?.startsWith('ThrottlingException:'))).toBe(true);
    expect(emulator.endpointStats('capped')).toEqual({ inFlight: 0, maxInFlight: 2, total: 5, throttled: 3 });
    expect(emulator.stats.maxInFlight).toBeGreaterThanOrEqual(2);
  });

  it('answers over-concurrency as ModelNotReadyException when asked', async () => {
    emulator.setEndpoint('capped', { model: 'echo', faults: { maxConcurrency: 1, latencyMs: 200, overConcurrencyAs: 'ModelNotReadyException' } });
    const results = await Promise.all([0, 1].map(() => send(emulator, agent, { path: '/endpoints/capped/invocations', body: 'x' })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 429]);
  });

  it('throttles requests above maxRatePerSecond within a one second window', async () => {
    emulator.setEndpoint('limited', { model: 'echo', faults: { maxRatePerSecond: 3 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await send(emulator, agent, { path: '/endpoints/limited/invocations', body: 'x' })).status);
    expect(statuses).toEqual([200, 200, 200, 400, 400]);
    expect(emulator.endpointStats('limited').throttled).toBe(2);
  });
});

describe('the request log', () => {
  it('records operation, endpoint, method, path, lower-case headers, body, times and status in arrival order', async () => {
    const before = Date.now();
    await send(emulator, agent, { body: 'first', headers: { 'Content-Type': 'text/plain', 'X-Amzn-SageMaker-Inference-Id': 'inf-1' } });
    await send(emulator, agent, { path: '/endpoints/nope/invocations', body: 'second' });
    expect(emulator.requests).toHaveLength(2);
    const [first, second] = emulator.requests;
    expect(first).toMatchObject({ operation: 'InvokeEndpoint', endpointName: 'echo', method: 'POST', path: '/endpoints/echo/invocations', status: 200, closedByClient: false });
    expect(first!.errorType).toBeUndefined();
    expect(first!.headers['content-type']).toBe('text/plain');
    expect(first!.headers['x-amzn-sagemaker-inference-id']).toBe('inf-1');
    expect(first!.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEMULATOR\//);
    expect(first!.body.toString()).toBe('first');
    expect(first!.receivedAt).toBeGreaterThanOrEqual(before);
    expect(first!.completedAt).toBeGreaterThanOrEqual(first!.receivedAt);
    expect(second).toMatchObject({ endpointName: 'nope', status: 400, errorType: 'ValidationError' });
    expect(emulator.stats).toMatchObject({ total: 2, inFlight: 0, byStatus: { 200: 1, 400: 1 } });
    expect(emulator.endpointStats('echo').total).toBe(1);
    emulator.reset();
    expect(emulator.requests).toHaveLength(0);
    expect(emulator.stats).toEqual({ inFlight: 0, maxInFlight: 0, total: 0, byStatus: {} });
  });

  it('keeps only the newest recordRequests while counting them all', async () => {
    const e = await startEmulator({ recordRequests: 2 });
    try {
      const log = e.requests;
      for (const body of ['a', 'b', 'c']) await send(e, agent, { body });
      expect(e.requests).toBe(log);
      expect(e.requests.map((r) => r.body.toString())).toEqual(['b', 'c']);
      expect(e.stats.total).toBe(3);
    } finally {
      await e.close();
    }
  });

  it('keeps the last 1,000 requests by default', async () => {
    const e = await startEmulator({ credentials: false });
    const local = new Agent({ connections: 8 });
    try {
      const sendOne = (i: number) => request(`${e.url}/endpoints/echo/invocations`, { method: 'POST', body: String(i), dispatcher: local }).then((r) => r.body.text());
      for (let i = 0; i < 1_005; i += 67) await Promise.all(Array.from({ length: Math.min(67, 1_005 - i) }, (_, k) => sendOne(i + k)));
      expect(e.stats.total).toBe(1_005);
      expect(e.requests).toHaveLength(1_000);
    } finally {
      await local.close();
      await e.close();
    }
  });

  it('keeps no request with recordRequests 0, yet waitForRequest still sees the ones that arrive', async () => {
    const e = await startEmulator({ recordRequests: 0 });
    try {
      const seen = e.waitForRequest((r) => r.status === 200);
      await send(e, agent, { body: 'x' });
      expect((await seen).body.toString()).toBe('x');
      expect(e.requests).toHaveLength(0);
      expect(e.stats.total).toBe(1);
    } finally {
      await e.close();
    }
  });

  it('waitForRequest rejects after its timeout when nothing matches', async () => {
    await expect(emulator.waitForRequest((r) => r.endpointName === 'never', 50)).rejects.toThrow(/no matching request within 50 ms/);
  });
});

describe('close()', () => {
  it('closes keep-alive and stalled sockets, resolves promptly, and refuses later connections', async () => {
    const e = await startEmulator({
      endpoints: { echo: { model: 'echo' }, stalled: { model: 'text-generator', faults: { stream: { fault: 'stall', afterChunks: 1 } } } },
    });
    const local = new Agent({ keepAliveTimeout: 60_000 });
    try {
      const ok = await send(e, local, { body: 'keep-alive' });
      expect(ok.status).toBe(200);
      const streaming = send(e, local, { path: '/endpoints/stalled/invocations-response-stream', body: '{}' }).catch((err: Error) => err);
      await e.waitForRequest((r) => r.streamFault === 'stall');
      const started = Date.now();
      await e.close();
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(await streaming).toBeInstanceOf(Error);
      expect(e.requests.find((r) => r.streamFault === 'stall')?.closedByClient).toBe(false);
      const after = await request(`${e.url}/endpoints/echo/invocations`, { method: 'POST', body: 'x', dispatcher: local }).catch((err: Error & { code?: string }) => err);
      expect((after as Error & { code?: string }).code).toBe('ECONNREFUSED');
      await e.close(); // a second close is a no-op
    } finally {
      await local.destroy();
      await e.close();
    }
  });

  it('leaves no server, socket or timer behind, even with a request waiting out a long latency', async () => {
    const count = (type: string) => process.getActiveResourcesInfo().filter((t) => t === type).length;
    const settle = async (check: () => boolean) => {
      for (let i = 0; i < 50 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    };
    const before = { servers: count('TCPServerWrap'), sockets: count('TCPSocketWrap'), timers: count('Timeout') };
    const e = await startEmulator({ endpoints: { sleepy: { model: 'echo', faults: { latencyMs: 60_000 } } } });
    const local = new Agent();
    const pending = send(e, local, { path: '/endpoints/sleepy/invocations', body: 'x' }).catch((err: Error) => err);
    await e.waitForRequest((r) => r.body.length > 0);
    expect(count('TCPServerWrap')).toBe(before.servers + 1);
    await e.close();
    expect(await pending).toBeInstanceOf(Error);
    await local.destroy();
    await settle(() => count('TCPSocketWrap') <= before.sockets && count('Timeout') <= before.timers);
    expect(count('TCPServerWrap')).toBe(before.servers);
    expect(count('TCPSocketWrap')).toBeLessThanOrEqual(before.sockets);
    expect(count('Timeout')).toBeLessThanOrEqual(before.timers);
    expect(e.requests[0]!.closedByClient).toBe(false);
    expect(e.requests[0]!.status).toBeUndefined();
  });

  it('uses the default credentials and endpoints when started without options', async () => {
    const e = await startEmulator();
    try {
      expect(e.url).toBe(`http://127.0.0.1:${e.port}`);
      expect(e.region).toBe('us-east-1');
      expect(EMULATOR_CREDENTIALS.accessKeyId).toBe('AKIDEMULATOR');
      for (const name of ['echo', 'sentiment', 'generator']) {
        const res = await send(e, agent, { path: `/endpoints/${name}/invocations`, body: '{"text":"good"}', headers: { 'content-type': 'application/json' } });
        expect(res.status).toBe(200);
      }
    } finally {
      await e.close();
    }
  });
});
