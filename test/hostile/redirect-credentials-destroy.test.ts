/**
 * Hostile servers against the request path: redirects (never followed, never an answer), a hung
 * credentials provider (a deadline, then a fresh lookup), the fetch transport's body deadline
 * (the gap between chunks), an unsolicited `100 Continue`, and a destroyed client (a final
 * typed error, nothing sent).
 */
import { retryInvocation } from '../../src/operators/resilience/retry-invocation';
import { createFetchTransport } from '../../src/transport/fetch-transport';
import { createUndiciTransport } from '../../src/transport/undici-transport';
import type { Transport } from '../../src/transport/transport';
import { collect, CREDENTIALS, INPUT, lastError, newClient, SESSION_TOKEN } from './helpers';
import { startHostileServer, startRawServer, type HostileServer } from './hostile-server';

const FINAL = 'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nx-amzn-requestid: r100\r\ncontent-length: 2\r\n\r\nok';

const transports: [string, () => Transport][] = [
  ['undici', () => createUndiciTransport()],
  ['fetch', () => createFetchTransport()],
];

describe.each(transports)('redirects with the %s transport', (_kind, makeTransport) => {
  let attacker: HostileServer;
  let service: HostileServer;
  beforeAll(async () => {
    attacker = await startHostileServer({
      e: (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"owned":true}'),
    });
    const redirect = (status: number) => (_req: unknown, res: import('node:http').ServerResponse) =>
      res.writeHead(status, { location: `${attacker.url}/endpoints/e/invocations`, 'x-amzn-requestid': 'req-redirect' }).end('moved');
    service = await startHostileServer({ r301: redirect(301), r302: redirect(302), r303: redirect(303), r307: redirect(307), r308: redirect(308) });
  });
  afterAll(async () => {
    await attacker.close();
    await service.close();
  });

  it.each([301, 302, 303, 307, 308])('answers HTTP %i with a RedirectError event and sends nothing to the Location host', async (status) => {
    const transport = makeTransport();
    const client = newClient(service.url, { transport });
    try {
      const events = await collect(client.invokeEndpoint$({ ...INPUT, EndpointName: `r${status}` }));
      expect(events.map((e) => e.type)).toEqual(['sent', 'error']);
      const error = lastError(events);
      expect(error.name).toBe('RedirectError');
      expect(error.retryable).toBe(false);
      expect(error.$metadata).toMatchObject({ httpStatusCode: status, requestId: 'req-redirect' });
      expect((error as { location?: string }).location).toBe(`${attacker.url}/endpoints/e/invocations`);
      expect(attacker.received).toHaveLength(0);
    } finally {
      await client.destroy();
    }
  });
});

describe('a hung credentials provider', () => {
  let service: HostileServer;
  beforeAll(async () => {
    service = await startHostileServer({ e: (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok') });
  });
  afterAll(() => service.close());

  it('gives a CredentialsError event at the deadline, and the next call asks the provider again', async () => {
    let calls = 0;
    let hung = true;
    const provider = () => {
      calls += 1;
      return hung ? new Promise<typeof CREDENTIALS>(() => undefined) : Promise.resolve(CREDENTIALS);
    };
    const client = newClient(service.url, { credentials: provider, credentialsTimeoutMs: 150 });
    try {
      const first = await collect(client.invokeEndpoint$(INPUT));
      expect(first.map((e) => e.type)).toEqual(['error']);
      expect(lastError(first)).toMatchObject({ name: 'CredentialsError', retryable: false });
      expect(lastError(first).message).toContain('no answer within 150 ms');
      hung = false; // the provider recovers
      const second = await collect(client.invokeEndpoint$(INPUT));
      expect(second.map((e) => e.type)).toEqual(['sent', 'response']);
      expect(calls).toBe(2);
      expect(service.received).toHaveLength(1);
    } finally {
      await client.destroy();
    }
  });

  it('fails every concurrent caller of a hung lookup, not only the first', async () => {
    const client = newClient(service.url, { credentials: () => new Promise(() => undefined), credentialsTimeoutMs: 100 });
    try {
      const all = await Promise.all([1, 2, 3].map(() => collect(client.invokeEndpoint$(INPUT))));
      for (const events of all) expect(lastError(events).name).toBe('CredentialsError');
    } finally {
      await client.destroy();
    }
  });
});

describe('the fetch transport body deadline', () => {
  let service: HostileServer;
  beforeAll(async () => {
    service = await startHostileServer({
      // 8 chunks 60 ms apart: 480 ms in all, never a gap over 60 ms
      drip: (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        let n = 0;
        const tick = setInterval(() => {
          res.write(`c${n}.`);
          if (++n === 8) {
            clearInterval(tick);
            res.end();
          }
        }, 60);
        res.on('close', () => clearInterval(tick));
      },
      stall: (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first');
      },
    });
  });
  afterAll(() => service.close());

  it('measures the gap between chunks: a slow body that keeps arriving is read whole', async () => {
    const client = newClient(service.url, { transport: createFetchTransport({ bodyTimeoutMs: 250 }) });
    try {
      const events = await collect(client.invokeEndpoint$({ ...INPUT, EndpointName: 'drip' }));
      expect(events.map((e) => e.type)).toEqual(['sent', 'response']);
      const body = (events[1] as { output: { Body: Uint8Array } }).output.Body;
      expect(Buffer.from(body).toString()).toBe('c0.c1.c2.c3.c4.c5.c6.c7.');
    } finally {
      await client.destroy();
    }
  });

  it('still ends a stalled body with a body TimeoutError', async () => {
    const client = newClient(service.url, { transport: createFetchTransport({ bodyTimeoutMs: 150 }) });
    try {
      const events = await collect(client.invokeEndpoint$({ ...INPUT, EndpointName: 'stall' }));
      expect(lastError(events)).toMatchObject({ name: 'TimeoutError', phase: 'body' });
    } finally {
      await client.destroy();
    }
  });
});

// Node's global fetch is undici with its own socket handling, which this library cannot reach
// without Node APIs: the fetch transport is for browsers, whose fetch skips interim answers.
describe.each([
  ['in its own packet', (socket: import('node:net').Socket) => {
    socket.write('HTTP/1.1 100 Continue\r\n\r\n');
    setTimeout(() => socket.write(FINAL), 20);
  }],
  ['in the same packet as the answer', (socket: import('node:net').Socket) => socket.write(`HTTP/1.1 100 Continue\r\nx-odd: 1\r\n\r\n${FINAL}`)],
  ['split across packets', (socket: import('node:net').Socket) => {
    socket.write('HTTP/1.1 10');
    setTimeout(() => socket.write('0 Continue\r\n'), 10);
    setTimeout(() => socket.write(`\r\n${FINAL}`), 20);
  }],
] as const)('an unsolicited 100 Continue %s, with the undici transport', (_how, answer) => {
  let raw: HostileServer;
  beforeAll(async () => {
    raw = await startRawServer((socket) => answer(socket));
  });
  afterAll(() => raw.close());

  it('is skipped: the final response is the answer, every time', async () => {
    const client = newClient(raw.url, { transport: createUndiciTransport() });
    try {
      for (let i = 0; i < 2; i++) {
        const events = await collect(client.invokeEndpoint$(INPUT));
        expect(events.map((e) => e.type)).toEqual(['sent', 'response']);
        expect(Buffer.from((events[1] as { output: { Body: Uint8Array } }).output.Body).toString()).toBe('ok');
      }
    } finally {
      await client.destroy();
    }
  });
});

describe('a destroyed client', () => {
  let service: HostileServer;
  beforeAll(async () => {
    service = await startHostileServer({
      e: (_req, res) => res.writeHead(200).end('ok'),
      slow: (_req, res) => setTimeout(() => res.writeHead(200).end('late'), 300),
    });
  });
  afterAll(() => service.close());

  it('answers with one final ClientDestroyedError, sends nothing and is not retried', async () => {
    const client = newClient(service.url);
    await client.destroy();
    const before = service.received.length;
    const events = await collect(client.invokeEndpoint$(INPUT).pipe(retryInvocation({ maxAttempts: 3, baseDelayMs: 1 })));
    expect(events.map((e) => e.type)).toEqual(['error']);
    expect(lastError(events)).toMatchObject({ name: 'ClientDestroyedError', retryable: false, throttling: false });
    expect(service.received.length).toBe(before);
  });

  it('ends a call in flight with the same final error', async () => {
    const client = newClient(service.url);
    const pending = collect(client.invokeEndpoint$({ ...INPUT, EndpointName: 'slow' }).pipe(retryInvocation({ maxAttempts: 3, baseDelayMs: 1 })));
    await new Promise((r) => setTimeout(r, 50));
    await client.destroy();
    const events = await pending;
    expect(events.map((e) => e.type)).toEqual(['sent', 'error']);
    expect(lastError(events).name).toBe('ClientDestroyedError');
  });

  it('never puts the session token in the sent event', async () => {
    const client = newClient(service.url);
    try {
      const events = await collect(client.invokeEndpoint$(INPUT));
      expect(JSON.stringify(events)).not.toContain(SESSION_TOKEN.slice(0, 16));
    } finally {
      await client.destroy();
    }
  });
});
