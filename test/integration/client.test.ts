/**
 * SageMakerRuntime.invokeEndpoint$ end to end: real sockets against the emulator on port 0,
 * and the official SDK against the same emulator for the error names.
 */
import { createServer as createNetServer } from 'node:net';
import { SageMakerRuntimeClient, InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import { firstValueFrom, lastValueFrom, toArray, take } from 'rxjs';
import { SageMakerRuntime } from '../../src/client/sagemaker-runtime';
import { startEmulator, EMULATOR_CREDENTIALS, type Emulator } from '../../src/emulator/index';
import type { InvokeEvent } from '../../src/events/invoke-event';
import { output } from '../../src/events/output';
import type { InvokeEndpointInput } from '../../src/model/shapes';
import { ModelError, ValidationError } from '../../src/errors/service-errors';
import { InvalidRequestError, type TimeoutError } from '../../src/errors/client-errors';

const collect = (o: ReturnType<SageMakerRuntime['invokeEndpoint$']>) => lastValueFrom(o.pipe(toArray()));
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('SageMakerRuntime.invokeEndpoint$ against the emulator', () => {
  let emu: Emulator;
  let client: SageMakerRuntime;
  let sdk: SageMakerRuntimeClient;
  const clients: { destroy(): unknown }[] = [];
  const newClient = (config: ConstructorParameters<typeof SageMakerRuntime>[0] = {}) => {
    const c = new SageMakerRuntime({ region: 'us-east-1', endpoint: emu.url, credentials: EMULATOR_CREDENTIALS, ...config });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    emu = await startEmulator({
      endpoints: {
        echo: { model: 'echo' },
        full: {
          model: (req) => ({
            body: `model saw ${req.body.toString()}`,
            contentType: 'text/x-result',
            customAttributes: 'answer=42',
            newSessionId: 'sess-9',
            closedSessionId: 'sess-8',
          }),
          variant: 'blue-variant',
        },
        slow: { model: 'echo', faults: { latencyMs: 10_000 } },
        'model-error': { model: 'echo', faults: { modelErrorRate: 1, modelErrorStatus: 418 } },
        'not-ready': { model: 'echo', faults: { throttleRate: 1, throttleAs: 'ModelNotReadyException' } },
        throttled: { model: 'echo', faults: { throttleRate: 1, throttleAs: 'ThrottlingException' } },
        unavailable: { model: 'echo', faults: { serverErrorRate: 1, serverErrorStatus: 503 } },
        internal: { model: 'echo', faults: { serverErrorRate: 1, serverErrorStatus: 500 } },
        reset: { model: 'echo', faults: { resetRate: 1 } },
      },
    });
    client = newClient();
    sdk = new SageMakerRuntimeClient({ region: 'us-east-1', endpoint: emu.url, credentials: { ...EMULATOR_CREDENTIALS }, maxAttempts: 1 });
  });

  afterAll(async () => {
    for (const c of clients) await c.destroy();
    sdk.destroy();
    await emu.close();
  });

  beforeEach(() => emu.reset());

  it('sends, then responds with every output member read back, then completes', async () => {
    const events = await collect(client.invokeEndpoint$({ EndpointName: 'full', Body: 'hi', ContentType: 'text/plain' }));
    expect(events.map((e) => e.type)).toEqual(['sent', 'response']);
    const response = events[1] as Extract<InvokeEvent, { type: 'response' }>;
    const recorded = emu.requests[0]!;
    expect(text(response.output.Body)).toBe('model saw hi');
    expect(response.output).toEqual({
      Body: response.output.Body,
      ContentType: 'text/x-result',
      InvokedProductionVariant: 'blue-variant',
      CustomAttributes: 'answer=42',
      NewSessionId: expect.stringMatching(/^sess-9; Expires=\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      ClosedSessionId: 'sess-8',
      $metadata: { httpStatusCode: 200, requestId: recorded.id, attempts: 1, totalRetryDelay: 0 },
    });
    expect(response.attempt).toBe(1);
    expect(response.durationMs).toBeGreaterThan(0);
    expect(response.timestamp).toBeGreaterThanOrEqual(events[0]!.timestamp);
  });

  it('emits a sent event with the URL, the body size and redacted secrets', async () => {
    const withToken = await startEmulator({ credentials: [{ ...EMULATOR_CREDENTIALS, sessionToken: 'session-token-value' }] });
    const c = new SageMakerRuntime({ region: 'us-east-1', endpoint: withToken.url, credentials: { ...EMULATOR_CREDENTIALS, sessionToken: 'session-token-value' } });
    try {
      const events = await collect(c.invokeEndpoint$({ EndpointName: 'echo', Body: 'héllo' }));
      expect(events.map((e) => e.type)).toEqual(['sent', 'response']);
      const sent = events[0] as Extract<InvokeEvent, { type: 'sent' }>;
      expect(sent.request.method).toBe('POST');
      expect(sent.request.url).toBe(`${withToken.url}/endpoints/echo/invocations`);
      expect(sent.request.bodySize).toBe(6);
      expect(sent.request.headers.authorization).toBe('[redacted]');
      expect(sent.request.headers['x-amz-security-token']).toBe('[redacted]');
      expect(JSON.stringify(sent)).not.toContain('session-token-value');
      expect(sent.request.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
      // The real values went on the wire.
      expect(withToken.requests[0]!.headers['x-amz-security-token']).toBe('session-token-value');
      expect(withToken.requests[0]!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEMULATOR\/\d{8}\/us-east-1\/sagemaker\/aws4_request, SignedHeaders=.*x-amz-security-token/);
    } finally {
      await c.destroy();
      await withToken.close();
    }
  });

  it('sends every input member under its wire name', async () => {
    const input: InvokeEndpointInput = {
      EndpointName: 'echo',
      Body: new Uint8Array([0, 1, 2, 255]),
      ContentType: 'application/x-custom',
      Accept: 'application/json',
      CustomAttributes: 'trace=abc',
      TargetModel: 'model-b.tar.gz',
      TargetVariant: 'variant-b',
      TargetContainerHostname: 'container-b',
      InferenceId: 'inference-7',
      EnableExplanations: '`false`',
      InferenceComponentName: 'component-b',
      SessionId: 'NEW_SESSION',
      PrefixAwareId: 'prefix-1',
    };
    const events = await collect(client.invokeEndpoint$(input));
    // No endpoint takes a target model, a container and a component at once: the service (and the
    // emulator) refuses what does not fit the endpoint, after every member went on the wire.
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { name: 'ValidationError', message: expect.stringMatching(/is not a multi-model endpoint/) } });
    expect(emu.requests).toHaveLength(1);
    const r = emu.requests[0]!;
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/endpoints/echo/invocations');
    expect([...r.body]).toEqual([0, 1, 2, 255]);
    expect(r.headers).toEqual(
      expect.objectContaining({
        'content-type': 'application/x-custom',
        accept: 'application/json',
        'x-amzn-sagemaker-custom-attributes': 'trace=abc',
        'x-amzn-sagemaker-target-model': 'model-b.tar.gz',
        'x-amzn-sagemaker-target-variant': 'variant-b',
        'x-amzn-sagemaker-target-container-hostname': 'container-b',
        'x-amzn-sagemaker-inference-id': 'inference-7',
        'x-amzn-sagemaker-enable-explanations': '`false`',
        'x-amzn-sagemaker-inference-component': 'component-b',
        'x-amzn-sagemaker-session-id': 'NEW_SESSION',
        'x-amzn-sagemaker-prefix-aware-id': 'prefix-1',
        'content-length': '4',
        'user-agent': expect.stringMatching(/^sagemaker-rx\//),
      }),
    );
  });

  it('defaults Content-Type to application/octet-stream, as the official SDK does', async () => {
    await collect(client.invokeEndpoint$({ EndpointName: 'echo', Body: 'x' }));
    await sdk.send(new InvokeEndpointCommand({ EndpointName: 'echo', Body: 'x' }));
    expect(emu.requests.map((r) => r.headers['content-type'])).toEqual(['application/octet-stream', 'application/octet-stream']);
  });

  it('is cold: no credentials lookup and no request until subscribe, then exactly one request per subscription', async () => {
    const provider = jest.fn(async () => ({ ...EMULATOR_CREDENTIALS }));
    const c = newClient({ credentials: provider });
    const invocation = c.invokeEndpoint$({ EndpointName: 'echo', Body: 'cold' });
    await new Promise((r) => setTimeout(r, 50));
    expect(provider).not.toHaveBeenCalled();
    expect(emu.requests).toHaveLength(0);

    await collect(invocation);
    expect(provider).toHaveBeenCalledTimes(1);
    expect(emu.requests).toHaveLength(1);

    await collect(invocation);
    await collect(invocation);
    expect(emu.requests).toHaveLength(3);
    // Memoised: the provider is not asked again for every attempt.
    expect(provider).toHaveBeenCalledTimes(1);
    // Each attempt is signed afresh and sent whole.
    expect(emu.requests.every((r) => r.body.toString() === 'cold')).toBe(true);
  });

  it('aborts the request when unsubscribed during a slow response, and emits nothing after', async () => {
    const events: string[] = [];
    let completed = false;
    const subscription = client.invokeEndpoint$({ EndpointName: 'slow', Body: 'wait' }).subscribe({
      next: (e) => events.push(e.type),
      error: () => events.push('error-notification'),
      complete: () => (completed = true),
    });
    const arrived = await emu.waitForRequest((r) => r.endpointName === 'slow', 5_000);
    expect(arrived.closedByClient).toBe(false);
    const unsubscribedAt = Date.now();
    subscription.unsubscribe();
    const closed = await emu.waitForRequest((r) => r.endpointName === 'slow' && r.closedByClient, 1_000);
    expect(closed.completedAt! - unsubscribedAt).toBeLessThan(1_000);
    expect(closed.status).toBeUndefined();
    await new Promise((r) => setTimeout(r, 200));
    expect(events).toEqual(['sent']);
    expect(completed).toBe(false);
  });

  it('does not send when unsubscribed synchronously from the sent event', async () => {
    const events = await lastValueFrom(client.invokeEndpoint$({ EndpointName: 'echo', Body: 'x' }).pipe(take(1), toArray()));
    expect(events.map((e) => e.type)).toEqual(['sent']);
    await new Promise((r) => setTimeout(r, 100));
    expect(emu.requests).toHaveLength(0);
  });

  describe('service errors are error events named as the official SDK names them', () => {
    const cases: [endpoint: string, name: string, status: number][] = [
      ['model-error', 'ModelError', 424],
      ['no-such-endpoint', 'ValidationError', 400],
      ['not-ready', 'ModelNotReadyException', 429],
      ['throttled', 'ThrottlingException', 400],
      ['unavailable', 'ServiceUnavailable', 503],
      ['internal', 'InternalFailure', 500],
    ];

    it.each(cases)('%s → %s (HTTP %d)', async (EndpointName, name, status) => {
      const events = await collect(client.invokeEndpoint$({ EndpointName, Body: 'x' }));
      expect(events.map((e) => e.type)).toEqual(['sent', 'error']);
      const ours = (events[1] as Extract<InvokeEvent, { type: 'error' }>).error;
      const theirs = await sdk.send(new InvokeEndpointCommand({ EndpointName, Body: 'x' })).then(
        () => undefined,
        (e: Error & { $metadata: { httpStatusCode: number } }) => e,
      );
      expect(theirs).toBeDefined();
      expect(ours.name).toBe(name);
      expect(theirs!.name).toBe(name);
      if (name === 'ThrottlingException') {
        // The live service throttles with {"message":null}: the SDK says "UnknownError", we say there was no message.
        expect(theirs!.message).toBe('UnknownError');
        expect(ours.message).toMatch(/no message/);
      } else {
        expect(ours.message).toBe(theirs!.message);
      }
      expect(ours.$metadata.httpStatusCode).toBe(status);
      expect(theirs!.$metadata.httpStatusCode).toBe(status);
      expect(ours.$metadata.requestId).toBe(emu.requests[0]!.id);
      expect(emu.requests).toHaveLength(2);
    });

    it('ModelError carries OriginalStatusCode, OriginalMessage and LogStreamArn like the SDK’s', async () => {
      const events = await collect(client.invokeEndpoint$({ EndpointName: 'model-error', Body: 'x' }));
      const ours = (events[1] as Extract<InvokeEvent, { type: 'error' }>).error as ModelError;
      const theirs = (await sdk.send(new InvokeEndpointCommand({ EndpointName: 'model-error', Body: 'x' })).catch((e: unknown) => e)) as ModelError;
      expect(ours).toBeInstanceOf(ModelError);
      expect(ours.OriginalStatusCode).toBe(418);
      expect(ours.OriginalStatusCode).toBe(theirs.OriginalStatusCode);
      expect(ours.OriginalMessage).toBe(theirs.OriginalMessage);
      expect(ours.LogStreamArn).toBe(theirs.LogStreamArn);
      expect([ours.retryable, ours.throttling]).toEqual([false, false]);
    });

    it('a wrong secret gives the same signature error as the SDK, without leaking the signature', async () => {
      const creds = { accessKeyId: EMULATOR_CREDENTIALS.accessKeyId, secretAccessKey: 'the-wrong-secret' };
      const bad = newClient({ credentials: creds });
      const events = await collect(bad.invokeEndpoint$({ EndpointName: 'echo', Body: 'x' }));
      const ours = (events[1] as Extract<InvokeEvent, { type: 'error' }>).error;
      const badSdk = new SageMakerRuntimeClient({ region: 'us-east-1', endpoint: emu.url, credentials: creds, maxAttempts: 1 });
      const theirs = (await badSdk.send(new InvokeEndpointCommand({ EndpointName: 'echo', Body: 'x' })).catch((e: unknown) => e)) as Error;
      badSdk.destroy();
      expect(ours.name).toBe(theirs.name);
      expect(['InvalidSignatureException', 'SignatureDoesNotMatch']).toContain(ours.name);
      expect(ours.$metadata.httpStatusCode).toBe(403);
      expect(ours.retryable).toBe(false);
      expect(ours.message).not.toMatch(/Signature=[0-9a-f]{64}/);
      expect(ours.message).not.toContain('the-wrong-secret');
    });

    it('the error classes are the modelled ones', async () => {
      const [model, validation] = await Promise.all([
        collect(client.invokeEndpoint$({ EndpointName: 'model-error', Body: 'x' })),
        collect(client.invokeEndpoint$({ EndpointName: 'nope', Body: 'x' })),
      ]);
      expect((model[1] as Extract<InvokeEvent, { type: 'error' }>).error).toBeInstanceOf(ModelError);
      expect((validation[1] as Extract<InvokeEvent, { type: 'error' }>).error).toBeInstanceOf(ValidationError);
    });
  });

  it('a connection reset is a NetworkError event with the system code', async () => {
    const events = await collect(client.invokeEndpoint$({ EndpointName: 'reset', Body: 'x' }));
    expect(events.map((e) => e.type)).toEqual(['sent', 'error']);
    const error = (events[1] as Extract<InvokeEvent, { type: 'error' }>).error;
    expect(error.name).toBe('NetworkError');
    expect(error.code).toBe('ECONNRESET');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('/endpoints/reset/invocations');
  });

  it('a closed port is a NetworkError event with ECONNREFUSED', async () => {
    const probe = createNetServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    const c = newClient({ endpoint: `http://127.0.0.1:${port}` });
    const events = await collect(c.invokeEndpoint$({ EndpointName: 'echo', Body: 'x' }));
    expect(events.map((e) => e.type)).toEqual(['sent', 'error']);
    const error = (events[1] as Extract<InvokeEvent, { type: 'error' }>).error;
    expect([error.name, error.code, error.retryable]).toEqual(['NetworkError', 'ECONNREFUSED', true]);
  });

  it('a response slower than headersTimeoutMs is a TimeoutError event in phase headers, and the request is closed', async () => {
    const c = newClient({ headersTimeoutMs: 300 });
    const events = await collect(c.invokeEndpoint$({ EndpointName: 'slow', Body: 'x' }));
    expect(events.map((e) => e.type)).toEqual(['sent', 'error']);
    const error = (events[1] as Extract<InvokeEvent, { type: 'error' }>).error as TimeoutError;
    expect([error.name, error.phase, error.ms, error.retryable]).toEqual(['TimeoutError', 'headers', 300, true]);
    await emu.waitForRequest((r) => r.endpointName === 'slow' && r.closedByClient, 1_000);
  });

  it('a failing credentials provider gives a CredentialsError event and sends nothing', async () => {
    const c = newClient({
      credentials: async () => {
        throw new Error('token file not found');
      },
    });
    const events = await collect(c.invokeEndpoint$({ EndpointName: 'echo', Body: 'x' }));
    expect(events.map((e) => e.type)).toEqual(['error']);
    const error = (events[0] as Extract<InvokeEvent, { type: 'error' }>).error;
    expect(error.name).toBe('CredentialsError');
    expect(error.message).toContain('token file not found');
    expect(emu.requests).toHaveLength(0);
  });

  it('scrubs an Authorization header or session token a server echoes from the error message', async () => {
    const echoing: import('../../src/transport/transport').Transport = {
      async send(request) {
        const body = JSON.stringify({
          message: `Authorization header requires 'Credential'. Authorization=${request.headers.authorization} token=${request.headers['x-amz-security-token']}`,
        });
        return {
          statusCode: 403,
          headers: { 'x-amzn-errortype': 'IncompleteSignatureException' },
          body: {
            bytes: async () => new TextEncoder().encode(body),
            async *[Symbol.asyncIterator]() {
              yield new TextEncoder().encode(body);
            },
          },
        };
      },
      async destroy() {},
    };
    const c = newClient({ transport: echoing, credentials: { ...EMULATOR_CREDENTIALS, sessionToken: 'tok-secret-123' } });
    const events = await collect(c.invokeEndpoint$({ EndpointName: 'echo', Body: 'x' }));
    const error = (events[1] as Extract<InvokeEvent, { type: 'error' }>).error;
    expect(error.name).toBe('IncompleteSignatureException');
    expect(error.message).toBe("Authorization header requires 'Credential'. Authorization=[redacted] token=[redacted]");
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('tok-secret-123');
  });

  describe('validation before I/O', () => {
    const invalid: [string, Record<string, unknown>, string][] = [
      ['EndpointName pattern', { EndpointName: 'bad_name' }, 'EndpointName'],
      ['EndpointName length', { EndpointName: 'e'.repeat(64) }, 'EndpointName'],
      ['EndpointName required', { EndpointName: undefined }, 'EndpointName'],
      ['Body required', { Body: undefined }, 'Body'],
      ['Body type', { Body: { not: 'bytes' } }, 'Body'],
      ['Body size', { Body: new Uint8Array(6_291_457) }, 'Body'],
      ['ContentType length', { ContentType: 'x'.repeat(1025) }, 'ContentType'],
      ['ContentType ASCII', { ContentType: 'text/plain; charset=ü' }, 'ContentType'],
      ['Accept header injection', { Accept: 'a\r\nx: y' }, 'Accept'],
      ['CustomAttributes length', { CustomAttributes: 'c'.repeat(1025) }, 'CustomAttributes'],
      ['TargetModel empty', { TargetModel: '' }, 'TargetModel'],
      ['TargetModel leading space', { TargetModel: ' m' }, 'TargetModel'],
      ['TargetVariant pattern', { TargetVariant: 'v_1' }, 'TargetVariant'],
      ['TargetContainerHostname length', { TargetContainerHostname: 'h'.repeat(64) }, 'TargetContainerHostname'],
      ['InferenceId length', { InferenceId: 'i'.repeat(65) }, 'InferenceId'],
      ['EnableExplanations empty', { EnableExplanations: '' }, 'EnableExplanations'],
      ['InferenceComponentName pattern', { InferenceComponentName: 'ic-' }, 'InferenceComponentName'],
      ['SessionId pattern', { SessionId: 'new_session' }, 'SessionId'],
      ['SessionId length', { SessionId: 's'.repeat(257) }, 'SessionId'],
      ['PrefixAwareId length', { PrefixAwareId: 'p'.repeat(65) }, 'PrefixAwareId'],
      ['unknown member', { InputLocation: 's3://b/k' }, 'InputLocation'],
    ];

    it.each(invalid)('%s: one InvalidRequestError event and zero requests', async (_label, patch, member) => {
      const provider = jest.fn(async () => ({ ...EMULATOR_CREDENTIALS }));
      const c = newClient({ credentials: provider });
      const events = await collect(c.invokeEndpoint$({ EndpointName: 'echo', Body: 'x', ...patch } as InvokeEndpointInput));
      expect(events.map((e) => e.type)).toEqual(['error']);
      const error = (events[0] as Extract<InvokeEvent, { type: 'error' }>).error as InvalidRequestError;
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error.member).toBe(member);
      expect(error.rule.length).toBeGreaterThan(0);
      expect(error.message.startsWith(`${member}: `)).toBe(true);
      expect(provider).not.toHaveBeenCalled();
      expect(emu.requests).toHaveLength(0);
    });
  });

  describe('the Promise twin and output()', () => {
    it('resolves with the output', async () => {
      const out = await client.invokeEndpoint({ EndpointName: 'echo', Body: 'promise', ContentType: 'text/plain' });
      expect(text(out.Body)).toBe('promise');
      expect(out.$metadata.httpStatusCode).toBe(200);
    });

    it('rejects with the typed error', async () => {
      await expect(client.invokeEndpoint({ EndpointName: 'model-error', Body: 'x' })).rejects.toBeInstanceOf(ModelError);
      await expect(client.invokeEndpoint({ EndpointName: 'bad_name', Body: 'x' })).rejects.toMatchObject({ name: 'InvalidRequestError', member: 'EndpointName' });
    });

    it('aborts the request when the signal aborts, rejecting with its reason', async () => {
      const controller = new AbortController();
      const pending = client.invokeEndpoint({ EndpointName: 'slow', Body: 'x' }, { signal: controller.signal });
      await emu.waitForRequest((r) => r.endpointName === 'slow', 5_000);
      const reason = new Error('caller gave up');
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
      await emu.waitForRequest((r) => r.endpointName === 'slow' && r.closedByClient, 1_000);
    });

    it('rejects at once with an already aborted signal, sending nothing', async () => {
      const controller = new AbortController();
      controller.abort(new Error('already'));
      await expect(client.invokeEndpoint({ EndpointName: 'echo', Body: 'x' }, { signal: controller.signal })).rejects.toThrow('already');
      expect(emu.requests).toHaveLength(0);
    });

    it('output() emits the output for firstValueFrom and throws the error event’s error', async () => {
      const out = await firstValueFrom(client.invokeEndpoint$({ EndpointName: 'echo', Body: 'rx' }).pipe(output()));
      expect(text(out.Body)).toBe('rx');
      const error = await firstValueFrom(client.invokeEndpoint$({ EndpointName: 'unavailable', Body: 'x' }).pipe(output())).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'ServiceUnavailable', retryable: true });
    });
  });

  it('keeps a custom endpoint’s base path', async () => {
    // The emulator serves only /endpoints/...: a base path shows up in the recorded path.
    const c = newClient({ endpoint: `${emu.url}/base/path` });
    const events = await collect(c.invokeEndpoint$({ EndpointName: 'echo', Body: 'x' }));
    expect((events[0] as Extract<InvokeEvent, { type: 'sent' }>).request.url).toBe(`${emu.url}/base/path/endpoints/echo/invocations`);
    expect(emu.requests[0]!.path).toBe('/base/path/endpoints/echo/invocations');
  });

  it('runs many invocations concurrently over the pooled connections', async () => {
    const c = newClient({ maxConnections: 4 });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => c.invokeEndpoint({ EndpointName: 'echo', Body: `n${i}` })));
    expect(results.map((r) => text(r.Body))).toEqual(Array.from({ length: 40 }, (_, i) => `n${i}`));
    expect(emu.stats.maxInFlight).toBeLessThanOrEqual(4);
  });
});
