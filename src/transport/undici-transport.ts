/**
 * The default transport: undici over one keep-alive `Agent` (`maxConnections` per origin),
 * with connect, headers and body deadlines, the request's AbortSignal honoured, and undici's
 * failures mapped to `TimeoutError`/`NetworkError`.
 */
import { Agent } from 'undici';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_MAX_CONNECTIONS, DEFAULT_READ_TIMEOUT_MS } from '../defaults.js';
import type { TimeoutPhase } from '../errors/client-errors.js';
import { mapTransportError } from './map-transport-error.js';
import type { Transport, TransportBody, TransportRequest, TransportResponse } from './transport.js';

/** Options of `createUndiciTransport`. */
export interface UndiciTransportOptions {
  /** Connections per origin. @default 50 */
  maxConnections?: number;
  /** Time to establish a connection (TCP + TLS), in ms. @default 10_000 */
  connectTimeoutMs?: number;
  /** Time from sending the request to the end of the response headers, in ms. @default 70_000 */
  headersTimeoutMs?: number;
  /** Longest gap between two body chunks, in ms. @default 70_000 */
  bodyTimeoutMs?: number;
}

/**
 * Creates the undici transport. Sockets are opened on the first request and kept alive;
 * `destroy()` closes them and fails requests still in flight.
 *
 * @example
 * ```ts
 * import { SageMakerRuntime, createUndiciTransport } from 'sagemaker-rx';
 * const client = new SageMakerRuntime({ transport: createUndiciTransport({ maxConnections: 200 }) });
 * ```
 */
export function createUndiciTransport(options: UndiciTransportOptions = {}): Transport {
  const {
    maxConnections = DEFAULT_MAX_CONNECTIONS,
    connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS,
    headersTimeoutMs = DEFAULT_READ_TIMEOUT_MS,
    bodyTimeoutMs = DEFAULT_READ_TIMEOUT_MS,
  } = options;
  for (const [name, value] of Object.entries({ maxConnections, connectTimeoutMs, headersTimeoutMs, bodyTimeoutMs })) {
    if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`createUndiciTransport: ${name} must be a finite number > 0, got ${value}`);
  }
  const timeouts: Partial<Record<TimeoutPhase, number>> = { connect: connectTimeoutMs, headers: headersTimeoutMs, body: bodyTimeoutMs };
  const agent = new Agent({ connections: maxConnections, connect: { timeout: connectTimeoutMs }, headersTimeout: headersTimeoutMs, bodyTimeout: bodyTimeoutMs });

  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      const { signal } = request;
      const url = new URL(request.url);
      const context = { method: request.method, url: request.url, timeouts };
      let response: Awaited<ReturnType<Agent['request']>>;
      try {
        response = await agent.request({
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal,
        });
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw mapTransportError(error, context);
      }
      const raw = response.body;
      const body: TransportBody = {
        async bytes() {
          try {
            return await raw.bytes();
          } catch (error) {
            if (signal.aborted) throw signal.reason;
            throw mapTransportError(error, context);
          }
        },
        async *[Symbol.asyncIterator]() {
          try {
            for await (const chunk of raw) yield chunk as Uint8Array;
          } catch (error) {
            if (signal.aborted) throw signal.reason;
            throw mapTransportError(error, context);
          } finally {
            // A consumer that stops early must not hold the pooled socket.
            if (!raw.destroyed) raw.destroy();
          }
        },
      };
      return { statusCode: response.statusCode, headers: joinHeaders(response.headers), body };
    },
    async destroy() {
      if (!agent.destroyed) await agent.destroy();
    },
  };
}

/** Lower-cases header names and joins repeated headers with `, `. */
function joinHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
