/**
 * A `Transport` over Angular's `HttpClient`: requests go through the application's interceptors
 * (logging, a proxy's auth header, retries of your own) and `HttpTestingController` sees them in
 * tests. `HttpClient` hands over a body only whole, so a response stream cannot arrive chunk by
 * chunk through it: streaming calls (`/invocations-response-stream`) go through `streams`, the
 * fetch transport by default.
 */
import { HttpErrorResponse, HttpEventType, HttpHeaders, HttpRequest, type HttpClient, type HttpEvent, type HttpResponse } from '@angular/common/http';
import { createFetchTransport, NetworkError, type Transport, type TransportBody, type TransportRequest, type TransportResponse } from '../index.js';

/** Options of `createHttpClientTransport`. */
export interface HttpClientTransportOptions {
  /**
   * The transport for response streams, which `HttpClient` would buffer whole: `'fetch'` (the
   * fetch transport, chunk by chunk), `'http-client'` (through `HttpClient` too: interceptors apply,
   * but the tokens arrive all at once at the end), or a `Transport` of your own.
   * @default 'fetch'
   */
  streams?: 'fetch' | 'http-client' | Transport;
}

// The browser sets these itself and forbids setting them; they are signed with the values it sends.
const BROWSER_HEADERS = new Set(['host', 'content-length', 'user-agent']);

const STREAM_PATH = /\/invocations-response-stream$/;

const utf8 = new TextEncoder();

/** A body already read whole. */
function wholeBody(bytes: Uint8Array): TransportBody {
  return {
    bytes: async () => bytes,
    async *[Symbol.asyncIterator]() {
      if (bytes.byteLength > 0) yield bytes;
    },
  };
}

/** `HttpClient` gives an error body parsed by `responseType`; back to the bytes the service sent. */
function bytesOf(body: unknown): Uint8Array {
  if (body === null || body === undefined) return new Uint8Array(0);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'string') return utf8.encode(body);
  return utf8.encode(JSON.stringify(body));
}

/** Lower-cased header names, repeated values joined with `, `, as the transport contract says. */
function headersOf(headers: HttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of headers.keys()) out[name.toLowerCase()] = (headers.getAll(name) ?? []).join(', ');
  return out;
}

/**
 * Creates a transport that sends through `http` (an `HttpClient`). Prefer
 * `provideSageMaker(config, withHttpClientTransport())`, which injects it.
 */
export function createHttpClientTransport(http: HttpClient, options: HttpClientTransportOptions = {}): Transport {
  const { streams = 'fetch' } = options;
  const streamTransport: Transport | undefined = streams === 'fetch' ? createFetchTransport() : streams === 'http-client' ? undefined : streams;
  let destroyed = false;

  const sendThroughHttpClient = (request: TransportRequest): Promise<TransportResponse> =>
    new Promise<TransportResponse>((resolve, reject) => {
      const { signal } = request;
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) if (!BROWSER_HEADERS.has(name.toLowerCase())) headers[name] = value;
      // HttpClient passes an ArrayBuffer through untouched (a Uint8Array it would serialise as JSON).
      const { buffer, byteOffset, byteLength } = request.body;
      const body = (buffer as ArrayBuffer).slice(byteOffset, byteOffset + byteLength);
      const httpRequest = new HttpRequest(request.method, request.url, request.method === 'GET' ? null : body, {
        headers: new HttpHeaders(headers),
        responseType: 'arraybuffer',
      });
      const onAbort = () => {
        subscription.unsubscribe(); // HttpClient aborts the XHR/fetch
        reject(signal.reason);
      };
      const subscription = http.request(httpRequest).subscribe({
        next: (event: HttpEvent<unknown>) => {
          if (event.type !== HttpEventType.Response) return;
          const response = event as HttpResponse<unknown>;
          signal.removeEventListener('abort', onAbort);
          resolve({ statusCode: response.status, headers: headersOf(response.headers), body: wholeBody(bytesOf(response.body)) });
        },
        error: (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          if (error instanceof HttpErrorResponse && error.status > 0) {
            // A status arrived: the client parses the service's error from it.
            resolve({ statusCode: error.status, headers: headersOf(error.headers), body: wholeBody(bytesOf(error.error)) });
            return;
          }
          // Status 0: no response at all (refused, DNS, CORS refused, offline).
          const message = error instanceof HttpErrorResponse ? error.message : String(error);
          reject(new NetworkError({ message: `${request.method} ${request.url}: ${message}`, cause: error }));
        },
      });
      signal.addEventListener('abort', onAbort, { once: true });
    });

  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      if (destroyed) throw new NetworkError({ message: `${request.method} ${request.url}: transport destroyed`, code: 'UND_ERR_DESTROYED' });
      if (streamTransport !== undefined && STREAM_PATH.test(new URL(request.url).pathname)) return streamTransport.send(request);
      return sendThroughHttpClient(request);
    },
    async destroy() {
      destroyed = true;
      await streamTransport?.destroy();
    },
  };
}
