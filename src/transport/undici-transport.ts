/**
 * The default transport: undici over one keep-alive `Agent` (`maxConnections` per origin),
 * with connect, headers and body deadlines, and undici's failures mapped to
 * `TimeoutError`/`NetworkError`. Requests go through `Agent#dispatch` with a handler of our own
 * (`undici-exchange.ts`), cancelled by undici's abort when the attempt is.
 */
import { buildConnector, type Dispatcher } from 'undici';
import { skipInterimContinue } from './skip-interim-continue.js';
import { createDispatcher, type DispatcherOptions } from './undici-dispatcher.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_MAX_CONNECTIONS, DEFAULT_READ_TIMEOUT_MS } from '../defaults.js';
import type { TimeoutPhase } from '../errors/client-errors.js';
import type { Transport, TransportRequest, TransportResponse } from './transport.js';
import { UndiciExchange } from './undici-exchange.js';

/** Bound on the memo of parsed request URLs (one per endpoint name and operation in practice). */
const MAX_REMEMBERED_URLS = 1024;

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
  /** Certificate authorities to trust instead of Node's bundled ones (PEM), e.g. a corporate proxy's. */
  ca?: DispatcherOptions['ca'];
  /** `false` accepts any server certificate: for tests against a self-signed endpoint only. @default true */
  rejectUnauthorized?: boolean;
  /** How long an idle pooled socket is kept open, in ms. @default 4_000 (undici's) */
  keepAliveTimeoutMs?: number;
  /** The cap on a server's keep-alive hint, in ms. @default 600_000 (undici's) */
  keepAliveMaxTimeoutMs?: number;
  /**
   * The proxy: `'env'` reads `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` (lower-case first) of `env`
   * through undici's `EnvHttpProxyAgent`; an object gives the same values; `false` never proxies.
   * @default 'env'
   */
  proxy?: DispatcherOptions['proxy'];
  /** The environment the proxy variables are read from. @default process.env */
  env?: Record<string, string | undefined>;
  /**
   * An undici dispatcher of your own (a `ProxyAgent`, a `MockAgent`, an interceptor chain): used
   * as given, and not closed by `destroy()`; the connection, TLS and proxy options above are then ignored.
   */
  dispatcher?: Dispatcher;
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
  const tls = { ...(options.ca !== undefined && { ca: options.ca as string | Buffer | Array<string | Buffer> }), ...(options.rejectUnauthorized !== undefined && { rejectUnauthorized: options.rejectUnauthorized }) };
  const connector = buildConnector({ timeout: connectTimeoutMs, ...tls });
  // Every socket skips unsolicited `100 Continue` interim answers, which undici would fail on.
  const connect: buildConnector.connector = (opts, callback) =>
    connector(opts, (error, socket) => (error ? callback(error, null) : callback(null, skipInterimContinue(socket as import('node:net').Socket))));
  const agent: Dispatcher =
    options.dispatcher ?? createDispatcher({ ...options, maxConnections, connectTimeoutMs, headersTimeoutMs, bodyTimeoutMs, connect });
  const owned = options.dispatcher === undefined;

  // The origin and path of each URL sent, parsed once: a client sends to few distinct URLs.
  const targets = new Map<string, { origin: string; path: string }>();
  const targetOf = (url: string) => {
    let target = targets.get(url);
    if (target === undefined) {
      const parsed = new URL(url);
      target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      if (targets.size >= MAX_REMEMBERED_URLS) targets.clear();
      targets.set(url, target);
    }
    return target;
  };

  return {
    send(request: TransportRequest): Promise<TransportResponse> {
      // Cancelled through undici's own abort: the request's signal is read only when the caller gave no cancellation.
      const cancellation = request.cancellation;
      const signal = cancellation ? undefined : request.signal;
      return new Promise<TransportResponse>((resolve, reject) => {
        const { origin, path } = targetOf(request.url);
        const exchange = new UndiciExchange(resolve, reject, { method: request.method, url: request.url, timeouts }, cancellation, signal);
        if (cancellation ? cancellation.aborted : signal?.aborted) return;
        agent.dispatch({ origin, path, method: request.method, headers: request.headers, body: request.body }, exchange);
      });
    },
    async destroy() {
      if (owned && !(agent as { destroyed?: boolean }).destroyed) await agent.destroy();
    },
  };
}
