/**
 * Hostile HTTP servers of our own on loopback: a `node:http` server whose routes misbehave on
 * purpose (redirects, echoed secrets, huge or endless bodies, resets, drips) and a raw TCP one
 * for what `node:http` will not write (an unsolicited `100 Continue`, broken chunking). Each
 * records what it received and tracks its sockets so `close()` leaves nothing behind.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { EventStreamCodec, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/** One request as the server received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type HostileRoute = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

export interface HostileServer {
  readonly url: string;
  readonly received: ReceivedRequest[];
  /** Every socket the server accepted, open or closed. */
  readonly sockets: Socket[];
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on 127.0.0.1 port 0. `route` picks a handler by the request path's
 * endpoint name (`/endpoints/<name>/…`), else by the whole path.
 */
export async function startHostileServer(routes: Record<string, HostileRoute>): Promise<HostileServer> {
  const received: ReceivedRequest[] = [];
  const sockets: Socket[] = [];
  const server: Server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? '/';
      received.push({ method: req.method ?? '', path, headers: { ...req.headers }, body });
      const name = /^\/(?:[^/]+\/)*endpoints\/([^/]+)\//.exec(path)?.[1];
      const route = (name !== undefined ? routes[decodeURIComponent(name)] : undefined) ?? routes[path];
      if (!route) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"no such route"}');
        return;
      }
      route(req, res, body);
    });
  });
  server.on('connection', (s: Socket) => sockets.push(s));
  return listen(server, received, sockets);
}

/** A raw TCP server: `onRequest` gets the socket once the first request bytes arrive. */
export async function startRawServer(onRequest: (socket: Socket, head: string) => void): Promise<HostileServer> {
  const sockets: Socket[] = [];
  const received: ReceivedRequest[] = [];
  const server = createNetServer((socket) => {
    sockets.push(socket);
    let head = '';
    let answered = false;
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (answered || !head.includes('\r\n\r\n')) return;
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (Buffer.byteLength(head, 'latin1') - (head.indexOf('\r\n\r\n') + 4) < length) return;
      answered = true;
      const [requestLine = ''] = head.split('\r\n');
      const [method = '', path = ''] = requestLine.split(' ');
      received.push({ method, path, headers: {}, body: Buffer.from(head.slice(head.indexOf('\r\n\r\n') + 4), 'latin1') });
      onRequest(socket, head);
      head = '';
      answered = false;
    });
    socket.on('error', () => undefined);
  });
  return listen(server, received, sockets);
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** One encoded event-stream frame. */
export function frame(headers: Record<string, string>, body: Uint8Array | string): Uint8Array {
  const typed: MessageHeaders = {};
  for (const [name, value] of Object.entries(headers)) typed[name] = { type: 'string', value };
  return codec.encode({ headers: typed, body: typeof body === 'string' ? fromUtf8(body) : body });
}

/** A `PayloadPart` frame. */
export function payloadFrame(bytes: Uint8Array | string): Uint8Array {
  return frame({ ':message-type': 'event', ':event-type': 'PayloadPart', ':content-type': 'application/octet-stream' }, bytes);
}

/** An `exception` frame. */
export function exceptionFrame(type: string, body: string): Uint8Array {
  return frame({ ':message-type': 'exception', ':exception-type': type, ':content-type': 'application/json' }, body);
}

/** The headers a streamed 200 starts with. */
export const STREAM_HEADERS = { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'req-stream', 'x-amzn-sagemaker-content-type': 'text/plain' };

/** Listens on 127.0.0.1:0; `close` destroys every socket the server accepted, then closes it. */
async function listen(server: Server | NetServer, received: HostileServer['received'], sockets: Socket[]): Promise<HostileServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
