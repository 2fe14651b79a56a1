/**
 * The shared attempt pipeline (`attempt$`) with a scripted in-memory transport: the contract
 * every operation's handler relies on.
 */
import { lastValueFrom, Observable, toArray } from 'rxjs';
import { attempt$, bufferedResponseHandler, type AttemptDeps, type ResponseHandler } from '../../src/client/attempt';
import { createCredentialResolver } from '../../src/credentials/credential-resolver';
import { NetworkError, TimeoutError } from '../../src/errors/client-errors';
import type { AnyInvokeEvent, InvokeAcceptedEvent } from '../../src/events/invoke-event';
import { createRequestSigner } from '../../src/signing/request-signer';
import type { Transport, TransportRequest, TransportResponse } from '../../src/transport/transport';

const CREDS = { accessKeyId: 'AKIDATTEMPT', secretAccessKey: 'attempt-secret' };

function response(statusCode: number, body = '', headers: Record<string, string> = {}): TransportResponse {
  const bytes = new TextEncoder().encode(body);
  return { statusCode, headers, body: { bytes: async () => bytes, async *[Symbol.asyncIterator]() { yield bytes; } } };
}

function setup(send: (r: TransportRequest) => Promise<TransportResponse>) {
  const sent: TransportRequest[] = [];
  const transport: Transport = {
    send: (r) => {
      sent.push(r);
      return send(r);
    },
    destroy: async () => undefined,
  };
  const provider = jest.fn(async () => ({ ...CREDS }));
  const credentials = createCredentialResolver(provider);
  const signer = createRequestSigner({ region: 'us-east-1', credentials });
  const payloadHash = jest.spyOn(signer, 'payloadHash');
  const deps: AttemptDeps = { endpoint: new URL('http://127.0.0.1:9/base'), transport, credentials, signer };
  return { deps, sent, provider, payloadHash };
}

const accepted = bufferedResponseHandler<InvokeAcceptedEvent>((r, c) => ({
  type: 'accepted',
  attempt: c.attempt,
  timestamp: c.timestamp(),
  output: { InferenceId: new TextDecoder().decode(r.body), $metadata: { httpStatusCode: r.statusCode } },
}));
const input = { EndpointName: 'e', Body: 'payload' };
const run = <E extends AnyInvokeEvent>(o: Observable<E>) => lastValueFrom(o.pipe(toArray()));

describe('attempt$', () => {
  it('computes the payload hash once per invocation input, however many attempts', async () => {
    const { deps, sent, payloadHash } = setup(async () => response(202, 'id-1'));
    const invocation = attempt$(deps, 'InvokeEndpointAsync', input, accepted);
    for (let i = 0; i < 3; i++) expect((await run(invocation)).map((e) => e.type)).toEqual(['sent', 'accepted']);
    expect(sent).toHaveLength(3);
    expect(payloadHash).toHaveBeenCalledTimes(1);
    // Same body bytes every time, each attempt signed on its own.
    expect(new Set(sent.map((r) => r.body)).size).toBe(1);
    expect(sent[0]!.url).toBe('http://127.0.0.1:9/base/endpoints/e/async-invocations');
  });

  it('hands the handler the response and the attempt context', async () => {
    const { deps } = setup(async () => response(202, 'id-2', { 'x-amzn-requestid': 'r' }));
    const seen: unknown[] = [];
    const handler: ResponseHandler<InvokeAcceptedEvent> = async (c) => {
      seen.push([c.operation, c.attempt, c.response.statusCode, c.request.url, c.request.headers.authorization, c.signal.aborted]);
      c.emit({ type: 'accepted', attempt: c.attempt, timestamp: c.timestamp(), output: { $metadata: {} } });
    };
    await run(attempt$(deps, 'InvokeEndpointAsync', input, handler));
    expect(seen).toEqual([['InvokeEndpointAsync', 1, 202, 'http://127.0.0.1:9/base/endpoints/e/async-invocations', '[redacted]', false]]);
  });

  it('turns a non-2xx response into the parsed error event', async () => {
    const { deps } = setup(async () => response(503, '{"message":"busy"}', { 'x-amzn-errortype': 'ServiceUnavailable', 'x-amzn-requestid': 'rq' }));
    const events = await run(attempt$(deps, 'InvokeEndpointAsync', input, accepted));
    expect(events.map((e) => e.type)).toEqual(['sent', 'error']);
    const error = (events[1] as Extract<AnyInvokeEvent, { type: 'error' }>).error;
    expect([error.name, error.message, error.$metadata.requestId]).toEqual(['ServiceUnavailable', 'busy', 'rq']);
  });

  it('passes a typed transport error through and wraps anything else as a NetworkError', async () => {
    const timeout = new TimeoutError({ phase: 'headers', ms: 5 });
    const typed = setup(async () => Promise.reject(timeout));
    const events = await run(attempt$(typed.deps, 'InvokeEndpoint', input, accepted));
    expect((events[1] as Extract<AnyInvokeEvent, { type: 'error' }>).error).toBe(timeout);

    const raw = setup(async () => Promise.reject(Object.assign(new Error('boom'), { code: 'EPIPE' })));
    const wrapped = (await run(attempt$(raw.deps, 'InvokeEndpoint', input, accepted)))[1] as Extract<AnyInvokeEvent, { type: 'error' }>;
    expect(wrapped.error).toBeInstanceOf(NetworkError);
    expect(wrapped.error.code).toBe('EPIPE');
    expect(wrapped.error.message).toBe('POST http://127.0.0.1:9/base/endpoints/e/invocations: boom');
  });

  it('turns a typed error thrown by the handler (a body read failing) into the error event', async () => {
    const { deps } = setup(async () => ({
      statusCode: 200,
      headers: {},
      body: {
        bytes: async () => Promise.reject(new TimeoutError({ phase: 'body', ms: 7 })),
        // eslint-disable-next-line require-yield
        async *[Symbol.asyncIterator]() {
          throw new TimeoutError({ phase: 'body', ms: 7 });
        },
      },
    }));
    const events = await run(attempt$(deps, 'InvokeEndpoint', input, accepted));
    expect(events.map((e) => e.type)).toEqual(['sent', 'error']);
    expect((events[1] as Extract<AnyInvokeEvent, { type: 'error' }>).error).toMatchObject({ name: 'TimeoutError', phase: 'body' });
  });

  it('reports a handler bug as an error notification, not an event', async () => {
    const { deps } = setup(async () => response(200));
    const bug = new TypeError('handler bug');
    const throwing: ResponseHandler<InvokeAcceptedEvent> = async () => {
      throw bug;
    };
    await expect(run(attempt$(deps, 'InvokeEndpoint', input, throwing))).rejects.toBe(bug);
    const silent: ResponseHandler<InvokeAcceptedEvent> = async () => undefined;
    await expect(run(attempt$(deps, 'InvokeEndpoint', input, silent))).rejects.toThrow('the response handler returned without a terminal event');
  });

  it('emits exactly one terminal event even when a handler emits more', async () => {
    const { deps } = setup(async () => response(202));
    const twice: ResponseHandler<InvokeAcceptedEvent> = async (c) => {
      c.emit({ type: 'accepted', attempt: 1, timestamp: 0, output: { InferenceId: 'a', $metadata: {} } });
      c.emit({ type: 'accepted', attempt: 1, timestamp: 0, output: { InferenceId: 'b', $metadata: {} } });
    };
    const events = await run(attempt$(deps, 'InvokeEndpointAsync', input, twice));
    expect(events.map((e) => (e.type === 'accepted' ? e.output.InferenceId : e.type))).toEqual(['sent', 'a']);
  });

  it('aborts the transport’s signal on unsubscribe and emits nothing after', async () => {
    let signal: AbortSignal | undefined;
    const { deps } = setup(
      (r) =>
        new Promise((_resolve, reject) => {
          signal = r.signal;
          r.signal.addEventListener('abort', () => reject(r.signal.reason));
        }),
    );
    const events: string[] = [];
    const subscription = attempt$(deps, 'InvokeEndpoint', input, accepted).subscribe({ next: (e) => events.push(e.type), error: () => events.push('defect') });
    await new Promise((r) => setTimeout(r, 20));
    expect(signal?.aborted).toBe(false);
    subscription.unsubscribe();
    expect(signal?.aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(['sent']);
  });

  it('does not resolve credentials or send when unsubscribed before they resolve', async () => {
    const { deps, sent, provider } = setup(async () => response(202));
    const subscription = attempt$(deps, 'InvokeEndpoint', input, accepted).subscribe();
    subscription.unsubscribe();
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).toHaveLength(0);
    expect(provider.mock.calls.length).toBeLessThanOrEqual(1);
  });
});
