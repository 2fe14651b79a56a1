/**
 * Servers that send too much: a prelude announcing a 2 GiB frame, a 200 MB body announced by
 * content-length, an endless chunked body, an endless error page, a headers section over the
 * cap — each a typed `ResponseTooLargeError` event, with the connection released. And a server
 * pushing 200 MiB of stream parts to a Promise-twin caller that does not read `Body`: TCP holds
 * it back instead of the client's memory.
 */
import type { ServerResponse } from 'node:http';
import { Crc32 } from '@smithy/core/checksum';
import { collect, INPUT, lastError, newClient } from './helpers';
import { payloadFrame, startHostileServer, STREAM_HEADERS, type HostileServer } from './hostile-server';

/** A prelude with a valid CRC announcing `total` bytes (and `headers` bytes of headers). */
function prelude(total: number, headers = 0): Buffer {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(total, 0);
  bytes.writeUInt32BE(headers, 4);
  const crc = new Crc32();
  crc.update(bytes.subarray(0, 8));
  bytes.writeUInt32BE(crc.digestSync(), 8);
  return bytes;
}

/** Writes `chunk` until `limit` bytes are out or the client goes away, respecting backpressure. */
function pump(res: ServerResponse, chunk: Uint8Array, limit: number, written: { bytes: number }): void {
  const next = () => {
    while (written.bytes < limit && !res.destroyed) {
      written.bytes += chunk.byteLength;
      if (!res.write(chunk)) return void res.once('drain', next);
    }
    if (!res.destroyed) res.end();
  };
  next();
}

const MiB = 1024 * 1024;
const pushed = { bytes: 0 };
let server: HostileServer;
const closed: string[] = [];

beforeAll(async () => {
  server = await startHostileServer({
    'huge-prelude': (_req, res) => {
      res.writeHead(200, STREAM_HEADERS);
      res.write(prelude(2 * 1024 * MiB));
      res.on('close', () => closed.push('huge-prelude'));
    },
    'huge-headers': (_req, res) => {
      res.writeHead(200, STREAM_HEADERS);
      res.write(prelude(1 * MiB, 512 * 1024));
      res.on('close', () => closed.push('huge-headers'));
    },
    'announced-200mb': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(200 * 1000 * 1000) });
      res.write(Buffer.alloc(64 * 1024));
      res.on('close', () => closed.push('announced-200mb'));
    },
    'endless-chunked': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      pump(res, Buffer.alloc(256 * 1024, 1), 200 * MiB, { bytes: 0 });
      res.on('close', () => closed.push('endless-chunked'));
    },
    'endless-error': (_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      pump(res, Buffer.alloc(256 * 1024, 60), 200 * MiB, { bytes: 0 });
      res.on('close', () => closed.push('endless-error'));
    },
    'stream-200mib': (_req, res) => {
      res.writeHead(200, STREAM_HEADERS);
      pump(res, payloadFrame(new Uint8Array(256 * 1024)), 200 * MiB, pushed);
      res.on('close', () => closed.push('stream-200mib'));
    },
  });
});
afterAll(() => server.close());

async function waitFor(check: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('size caps', () => {
  let client: ReturnType<typeof newClient>;
  beforeAll(() => {
    client = newClient(server.url);
  });
  afterAll(() => client.destroy());

  it('refuses a frame whose prelude announces 2 GiB, before allocating it, and releases the socket', async () => {
    const events = await collect(client.invokeEndpointWithResponseStream$({ ...INPUT, EndpointName: 'huge-prelude' }));
    expect(events.map((e) => e.type)).toEqual(['sent', 'headers', 'error']);
    expect(lastError(events)).toMatchObject({ name: 'ResponseTooLargeError', subject: 'frame', size: 2 * 1024 * MiB, retryable: false });
    expect(lastError(events).$metadata).toMatchObject({ httpStatusCode: 200, requestId: 'req-stream' });
    await waitFor(() => closed.includes('huge-prelude'));
  });

  it('refuses a frame whose headers section is over the cap', async () => {
    const events = await collect(client.invokeEndpointWithResponseStream$({ ...INPUT, EndpointName: 'huge-headers' }));
    expect(lastError(events)).toMatchObject({ name: 'ResponseTooLargeError', subject: 'frame', size: 512 * 1024 });
  });

  it('refuses a 200 MB body announced by content-length without reading it', async () => {
    const events = await collect(client.invokeEndpoint$({ ...INPUT, EndpointName: 'announced-200mb' }));
    expect(lastError(events)).toMatchObject({ name: 'ResponseTooLargeError', subject: 'body', size: 200 * 1000 * 1000, limit: 25_165_824 });
    await waitFor(() => closed.includes('announced-200mb'));
  });

  it('stops reading an endless chunked body at maxResponseBytes', async () => {
    const capped = newClient(server.url, { maxResponseBytes: { InvokeEndpoint: 4 * MiB } });
    try {
      const events = await collect(capped.invokeEndpoint$({ ...INPUT, EndpointName: 'endless-chunked' }));
      expect(lastError(events)).toMatchObject({ name: 'ResponseTooLargeError', subject: 'body', limit: 4 * MiB });
      await waitFor(() => closed.includes('endless-chunked'));
    } finally {
      await capped.destroy();
    }
  });

  it('stops reading an endless error page at the cap of the operation', async () => {
    const events = await collect(client.invokeEndpointAsync$({ EndpointName: 'endless-error', InputLocation: 's3://b/k' }));
    expect(lastError(events)).toMatchObject({ name: 'ResponseTooLargeError', subject: 'body', limit: 1_048_576 });
    await waitFor(() => closed.includes('endless-error'));
  });

  it('makes an allocation failure while reading (an address-space limit below the caps) an event, not an error notification', async () => {
    const failing = newClient(server.url, {
      transport: {
        async send() {
          const fail = () => {
            throw new RangeError('Array buffer allocation failed');
          };
          return {
            statusCode: 200,
            headers: { 'content-length': '1000' },
            body: {
              bytes: async () => fail(),
              // eslint-disable-next-line require-yield
              async *[Symbol.asyncIterator]() {
                fail();
              },
            },
          };
        },
        async destroy() {},
      },
    });
    const events = await collect(failing.invokeEndpoint$(INPUT));
    expect(lastError(events)).toMatchObject({ name: 'ResponseTooLargeError', subject: 'body', retryable: false });
    expect(lastError(events).message).toContain('Array buffer allocation failed');
  });

  it('checks the caps it is given', () => {
    expect(() => newClient(server.url, { maxResponseBytes: 0 })).toThrow(RangeError);
    expect(() => newClient(server.url, { maxEventStreamFrameBytes: -1 })).toThrow(RangeError);
  });
});

describe('the stream Promise twin reads Body on demand', () => {
  it('holds a server pushing 200 MiB back while Body is not read, then streams when it is', async () => {
    const client = newClient(server.url);
    try {
      const output = await client.invokeEndpointWithResponseStream({ ...INPUT, EndpointName: 'stream-200mib' });
      await new Promise((r) => setTimeout(r, 1_000)); // Body not read for a second
      const heldAt = pushed.bytes;
      // a few parts of client buffer plus the kernel's socket buffers, not 200 MiB
      expect(heldAt).toBeLessThan(32 * MiB);
      let parts = 0;
      for await (const event of output.Body) {
        expect(event.PayloadPart.Bytes.byteLength).toBe(256 * 1024);
        if (++parts === 64) break; // 16 MiB read, then leave: the request is aborted
      }
      expect(pushed.bytes).toBeGreaterThan(heldAt);
      await waitFor(() => closed.includes('stream-200mib'));
      expect(pushed.bytes).toBeLessThan(100 * MiB);
    } finally {
      await client.destroy();
    }
  });
});
