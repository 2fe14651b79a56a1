/**
 * The transports against a real HTTP server on loopback: success, header joining, streaming,
 * resets, refused connections, deadlines, aborts, connection limits and destroy.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { errors as undiciErrors } from 'undici';
import { NetworkError, TimeoutError } from '../../src/errors/client-errors';
import { createFetchTransport } from '../../src/transport/fetch-transport';
import { mapTransportError } from '../../src/transport/map-transport-error';
import { Cancellation } from '../../src/transport/cancellation';
import { AttemptRequest } from '../../src/client/attempt-request';
import type { Transport, TransportRequest } from '../../src/transport/transport';
import { createUndiciTransport } from '../../src/transport/undici-transport';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const routes: Record<string, Handler> = {
  '/ok': (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('X-Multi', ['a', 'b']);
      res.setHeader('X-Echo-Length', String(Buffer.concat(chunks).length));
      res.setHeader('X-Echo-Host', req.headers.host ?? '');
      res.end(Buffer.concat(chunks));
    });
  },
  '/stream': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    let i = 0;
    const tick = setInterval(() => {
      res.write(`part${i++};`);
      if (i === 3) {
        clearInterval(tick);
        res.end();
      }
    }, 20);
    res.on('close', () => clearInterval(tick));
  },
  '/reset': (req) => req.socket.resetAndDestroy(),
  '/close': (req) => req.socket.destroy(),
  '/hang': () => undefined,
  '/hang-body': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('first');
  },
  '/slow-ok': (_req, res) => {
    setTimeout(() => res.end('done'), 150);
  },
};

describe.each([
  ['undici', (o: { headersTimeoutMs?: number; bodyTimeoutMs?: number; maxConnections?: number }) => createUndiciTransport(o)],
  ['fetch', (o: { headersTimeoutMs?: number; bodyTimeoutMs?: number }) => createFetchTransport(o)],
] as const)('%s transport', (kind, create) => {
  let server: Server;
  let base: string;
  let transport: Transport;
  const sockets = new Set<Socket>();
  const closedRequests: string[] = [];
  const connections: Socket[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.on('close', () => {
        if (!res.writableEnded) closedRequests.push(req.url!);
      });
      (routes[req.url!] ?? ((_q, s) => s.writeHead(404).end()))(req, res);
    });
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      connections.push(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    transport = create({ headersTimeoutMs: 300, bodyTimeoutMs: 300, maxConnections: 2 });
  });

  afterAll(async () => {
    await transport.destroy();
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  const request = (path: string, init: Partial<TransportRequest> = {}): TransportRequest => ({
    method: 'POST',
    url: `${base}${path}`,
    headers: { 'content-type': 'text/plain', host: new URL(base).host, 'content-length': String(init.body?.byteLength ?? 5) },
    body: new TextEncoder().encode('hello'),
    signal: new AbortController().signal,
    ...init,
  });

  it('sends the body and returns the status, lower-cased joined headers and the bytes', async () => {
    const response = await transport.send(request('/ok'));
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-multi']).toBe('a, b');
    expect(response.headers['x-echo-length']).toBe('5');
    expect(response.headers['x-echo-host']).toBe(new URL(base).host);
    expect(Object.keys(response.headers).every((k) => k === k.toLowerCase())).toBe(true);
    expect(Buffer.from(await response.body.bytes()).toString()).toBe('hello');
  });

  it('yields the body chunk by chunk', async () => {
    const response = await transport.send(request('/stream'));
    const parts: string[] = [];
    for await (const chunk of response.body) parts.push(Buffer.from(chunk).toString());
    expect(parts.join('')).toBe('part0;part1;part2;');
    expect(parts.length).toBeGreaterThanOrEqual(2);
  });

  it('maps a connection reset to a NetworkError with ECONNRESET', async () => {
    const error = await transport.send(request('/reset')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe('ECONNRESET');
    expect((error as NetworkError).retryable).toBe(true);
    expect((error as NetworkError).message).toContain(`${base}/reset`);
  });

  it('maps a connection closed before the response to a NetworkError with ECONNRESET', async () => {
    const error = await transport.send(request('/close')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe('ECONNRESET');
  });

  it('maps a refused connection to a NetworkError with ECONNREFUSED', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const error = await transport.send(request('/ok', { url: `http://127.0.0.1:${port}/ok` })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe('ECONNREFUSED');
    expect((error as NetworkError).retryable).toBe(true);
  });

  it('maps a headers deadline to a TimeoutError in phase headers', async () => {
    const error = await transport.send(request('/hang')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).phase).toBe('headers');
    expect((error as TimeoutError).ms).toBe(300);
    expect((error as TimeoutError).retryable).toBe(true);
  });

  it('maps a body deadline to a TimeoutError in phase body', async () => {
    const response = await transport.send(request('/hang-body'));
    const error = await response.body.bytes().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).phase).toBe('body');
  });

  it('rejects with the signal’s reason, untouched, when aborted before the response; the server sees the close', async () => {
    const controller = new AbortController();
    const pending = transport.send(request('/hang', { signal: controller.signal }));
    await new Promise((r) => setTimeout(r, 50));
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await waitFor(() => closedRequests.includes('/hang'));
  });

  it('ends a body stream with the signal’s reason when aborted mid-body', async () => {
    const controller = new AbortController();
    const response = await transport.send(request('/hang-body', { signal: controller.signal }));
    const iterator = response.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(Buffer.from(first.value as Uint8Array).toString()).toBe('first');
    const reason = new Error('enough');
    setTimeout(() => controller.abort(reason), 20);
    await expect(iterator.next()).rejects.toBe(reason);
  });

  it('rejects at once with an already aborted signal', async () => {
    const controller = new AbortController();
    const reason = new Error('before');
    controller.abort(reason);
    await expect(transport.send(request('/ok', { signal: controller.signal }))).rejects.toBe(reason);
  });

  it('cancels a copy of the client’s request made with a spread (its signal getter is not copied, its cancellation is)', async () => {
    const cancellation = new Cancellation();
    const { signal: _unused, ...rest } = request('/hang');
    const original = new AttemptRequest(rest.method, rest.url, rest.headers, rest.body, cancellation);
    const copy = { ...original } as unknown as TransportRequest;
    expect('signal' in copy).toBe(false);
    const closedBefore = closedRequests.length;
    const pending = transport.send(copy);
    await new Promise((r) => setTimeout(r, 50));
    const reason = new Error('stop the copy');
    cancellation.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await waitFor(() => closedRequests.slice(closedBefore).includes('/hang'));
  });

  if (kind === 'undici') {
    /** A request cancelled only through `cancellation`: reading its `signal` fails the test. */
    const cancellable = (path: string, cancellation: Cancellation): TransportRequest => {
      const { signal: _unused, ...rest } = request(path);
      return {
        ...rest,
        cancellation,
        get signal(): AbortSignal {
          throw new Error('the undici transport read the signal although a cancellation was given');
        },
      };
    };

    it('cancels through the cancellation alone (no signal read): the promise rejects with its reason and the server sees the close', async () => {
      const cancellation = new Cancellation();
      const pending = transport.send(cancellable('/hang', cancellation));
      await new Promise((r) => setTimeout(r, 50));
      const reason = new Error('unsubscribed');
      cancellation.abort(reason);
      await expect(pending).rejects.toBe(reason);
      await waitFor(() => closedRequests.includes('/hang'));
    });

    it('ends a body stream with the cancellation’s reason mid-body, and a finished exchange ignores a later abort', async () => {
      const cancellation = new Cancellation();
      const response = await transport.send(cancellable('/hang-body', cancellation));
      const iterator = response.body[Symbol.asyncIterator]();
      expect(Buffer.from((await iterator.next()).value as Uint8Array).toString()).toBe('first');
      const reason = new Error('enough');
      setTimeout(() => cancellation.abort(reason), 20);
      await expect(iterator.next()).rejects.toBe(reason);

      const done = new Cancellation();
      const ok = await transport.send(cancellable('/ok', done));
      expect(Buffer.from(await ok.body.bytes()).toString()).toBe('hello');
      done.abort(new Error('too late'));
      expect(done.aborted).toBe(true);
    });

    it('does not send a request whose cancellation is already aborted', async () => {
      const cancellation = new Cancellation();
      const reason = new Error('before');
      cancellation.abort(reason);
      const before = connections.length;
      await expect(transport.send(cancellable('/ok', cancellation))).rejects.toBe(reason);
      expect(connections.length).toBe(before);
    });

    it('an iterating reader that stops early releases the socket', async () => {
      const response = await transport.send(request('/stream'));
      for await (const chunk of response.body) {
        expect(Buffer.from(chunk).toString()).toBe('part0;');
        break;
      }
      await waitFor(() => closedRequests.includes('/stream'));
    });

    it('keeps at most maxConnections sockets per origin and reuses them', async () => {
      const before = connections.length;
      const results = await Promise.all(Array.from({ length: 8 }, () => transport.send(request('/slow-ok')).then((r) => r.body.bytes())));
      expect(results.map((b) => Buffer.from(b).toString())).toEqual(Array(8).fill('done'));
      expect(connections.length - before).toBeLessThanOrEqual(2);
    });
  }
});

describe('undici transport lifecycle', () => {
  it('destroy() closes kept-alive sockets and fails later requests with a NetworkError', async () => {
    const sockets = new Set<Socket>();
    const server = createServer((_req, res) => res.end('x'));
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const transport = createUndiciTransport();
    const response = await transport.send({ method: 'GET', url, headers: {}, body: new Uint8Array(), signal: new AbortController().signal });
    await response.body.bytes();
    expect(sockets.size).toBe(1);
    await transport.destroy();
    await waitFor(() => sockets.size === 0);
    const error = await transport.send({ method: 'GET', url, headers: {}, body: new Uint8Array(), signal: new AbortController().signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    await transport.destroy(); // idempotent
    await new Promise((r) => server.close(r));
  });

  it('rejects invalid options when created', () => {
    expect(() => createUndiciTransport({ maxConnections: 0 })).toThrow(RangeError);
    expect(() => createFetchTransport({ headersTimeoutMs: -1 })).toThrow(RangeError);
  });
});

describe('mapTransportError', () => {
  const where = { method: 'POST', url: 'https://h/endpoints/e/invocations', timeouts: { connect: 1000, headers: 2000, body: 3000 } };
  it.each([
    ['ConnectTimeoutError', new undiciErrors.ConnectTimeoutError(), 'connect', 1000],
    ['HeadersTimeoutError', new undiciErrors.HeadersTimeoutError(), 'headers', 2000],
    ['BodyTimeoutError', new undiciErrors.BodyTimeoutError(), 'body', 3000],
  ])('maps undici %s to a TimeoutError with its phase and deadline', (_name, error, phase, ms) => {
    const mapped = mapTransportError(error, where) as TimeoutError;
    expect(mapped).toBeInstanceOf(TimeoutError);
    expect([mapped.phase, mapped.ms, mapped.cause]).toEqual([phase, ms, error]);
    expect(mapped.message).toContain('POST https://h/endpoints/e/invocations');
  });
  it('keeps a system code found on the cause', () => {
    const mapped = mapTransportError(new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND h'), { code: 'ENOTFOUND' }) }), where);
    expect(mapped).toBeInstanceOf(NetworkError);
    expect(mapped.code).toBe('ENOTFOUND');
  });
  it('finds an undici timeout wrapped as the cause of a fetch failure', () => {
    const mapped = mapTransportError(new TypeError('fetch failed', { cause: new undiciErrors.HeadersTimeoutError() }), where);
    expect(mapped).toBeInstanceOf(TimeoutError);
    expect((mapped as TimeoutError).phase).toBe('headers');
  });
  it('keeps an unknown undici code as it is', () => {
    expect(mapTransportError(new undiciErrors.ClientDestroyedError(), where).code).toBe('UND_ERR_DESTROYED');
  });
});

async function waitFor(predicate: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('waitFor: condition not met');
    await new Promise((r) => setTimeout(r, 10));
  }
}
