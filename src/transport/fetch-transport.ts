/**
 * A transport over the global `fetch`, for browsers and edge runtimes (no undici import, no
 * Node API). Headers and body deadlines are timers that abort the request (the body's measures
 * the gap between two chunks, as undici's does); redirects are never followed (a 3xx is a
 * `RedirectError`: the signed request must not reach another host); network failures become
 * `NetworkError` with the system code when the runtime exposes one.
 */
import { RedirectError, TimeoutError } from '../errors/client-errors.js';
import { isSageMakerRuntimeError } from '../errors/sagemaker-runtime-error.js';
import { DEFAULT_READ_TIMEOUT_MS } from '../defaults.js';
import { concatBytes } from '../protocol/body.js';
import { mapTransportError } from './map-transport-error.js';
import type { Transport, TransportBody, TransportRequest, TransportResponse } from './transport.js';

/** Options of `createFetchTransport`. */
export interface FetchTransportOptions {
  /** The fetch to use. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Time from sending the request to the response headers, in ms. @default 70_000 */
  headersTimeoutMs?: number;
  /** Longest gap between two body chunks, in ms. @default 70_000 */
  bodyTimeoutMs?: number;
}

// The runtime sets these itself (and browsers forbid them); they are still signed with the
// values the runtime will send.
const RUNTIME_HEADERS = new Set(['host', 'content-length', 'user-agent']);

/**
 * Creates a transport over `fetch`. Connection pooling is the runtime's; `destroy()` only stops
 * new requests.
 */
export function createFetchTransport(options: FetchTransportOptions = {}): Transport {
  const { headersTimeoutMs = DEFAULT_READ_TIMEOUT_MS, bodyTimeoutMs = DEFAULT_READ_TIMEOUT_MS } = options;
  for (const [name, value] of Object.entries({ headersTimeoutMs, bodyTimeoutMs })) {
    if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`createFetchTransport: ${name} must be a finite number > 0, got ${value}`);
  }
  const fetchFn = options.fetch ?? globalThis.fetch;
  if (typeof fetchFn !== 'function') throw new TypeError('createFetchTransport: no global fetch; pass options.fetch');
  let destroyed = false;

  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      if (destroyed) throw mapTransportError(Object.assign(new Error('transport destroyed'), { code: 'UND_ERR_DESTROYED' }), request);
      // A request copied with a spread may have lost a `signal` getter, never its own `cancellation`.
      const signal = (request.signal as AbortSignal | undefined) ?? request.cancellation?.signal ?? new AbortController().signal;
      // One controller per request: the caller's signal and our deadlines both abort it.
      const controller = new AbortController();
      let timeout: TimeoutError | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const arm = (phase: 'headers' | 'body', ms: number) => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          timeout = new TimeoutError({ phase, ms, message: `${request.method} ${request.url}: ${phase} timeout after ${ms} ms` });
          controller.abort(timeout);
        }, ms);
      };
      const disarm = () => clearTimeout(timer);
      const onAbort = () => controller.abort(signal.reason);
      if (signal.aborted) throw signal.reason;
      signal.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => {
        disarm();
        signal.removeEventListener('abort', onAbort);
      };
      const fail = (error: unknown): never => {
        cleanup();
        if (signal.aborted) throw signal.reason;
        if (timeout) throw timeout;
        if (isSageMakerRuntimeError(error)) throw error;
        throw mapTransportError(error, request);
      };

      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) if (!RUNTIME_HEADERS.has(name.toLowerCase())) headers[name] = value;
      arm('headers', headersTimeoutMs);
      let response: Response;
      try {
        // 'manual': fetch would otherwise resend the signed request (session token included) to
        // the Location host and hand back that host's page as if SageMaker had answered.
        response = await fetchFn(request.url, { method: request.method, headers, body: request.body as BodyInit, signal: controller.signal, redirect: 'manual' });
      } catch (error) {
        return fail(error);
      }
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        responseHeaders[name.toLowerCase()] = value;
      });
      // A browser hides a manual redirect as an opaque response with status 0.
      if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
        cleanup();
        response.body?.cancel().catch(() => undefined);
        throw redirectError(request, response.status, responseHeaders);
      }

      const body: TransportBody = {
        // Read chunk by chunk so that the deadline is the gap between chunks, as documented: a
        // large body that keeps arriving is not cut off, a stalled one is.
        async bytes() {
          const chunks: Uint8Array[] = [];
          let size = 0;
          for await (const chunk of body) {
            chunks.push(chunk);
            size += chunk.byteLength;
          }
          return concatBytes(chunks, size);
        },
        async *[Symbol.asyncIterator]() {
          const reader = response.body?.getReader();
          if (!reader) {
            cleanup();
            return;
          }
          try {
            for (;;) {
              arm('body', bodyTimeoutMs);
              let result: ReadableStreamReadResult<Uint8Array>;
              try {
                result = await reader.read();
              } catch (error) {
                return fail(error);
              }
              if (result.done) break;
              disarm();
              yield result.value;
            }
          } finally {
            cleanup();
            reader.cancel().catch(() => undefined);
          }
        },
      };
      disarm();
      return { statusCode: response.status, headers: responseHeaders, body };
    },
    async destroy() {
      destroyed = true;
    },
  };
}

/** The typed error of a redirect: the status and, when the runtime shows it, where it pointed. */
function redirectError(request: TransportRequest, status: number, headers: Readonly<Record<string, string>>): RedirectError {
  const location = headers['location'];
  const shown = status === 0 ? 'a redirect' : `HTTP ${status}`;
  return new RedirectError({
    message: `${request.method} ${request.url}: the server answered with ${shown}${location === undefined ? '' : ` to ${location}`}; redirects are not followed`,
    location,
    $metadata: status === 0 ? {} : { httpStatusCode: status, ...(headers['x-amzn-requestid'] !== undefined && { requestId: headers['x-amzn-requestid'] }) },
  });
}
