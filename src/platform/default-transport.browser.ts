/**
 * The client's default transport in browsers and edge runtimes: the global `fetch`. The runtime
 * pools connections and bounds connecting itself, so `maxConnections` and `connectTimeoutMs` do
 * not apply; the headers and body deadlines do.
 */
import { createFetchTransport } from '../transport/fetch-transport.js';
import type { Transport } from '../transport/transport.js';

/** Options of `createDefaultTransport`: the connection settings of the client config. */
export interface DefaultTransportOptions {
  /** Not applicable to `fetch` (the runtime pools connections); ignored. */
  maxConnections?: number;
  /** Not applicable to `fetch` (the runtime bounds connecting); ignored. */
  connectTimeoutMs?: number;
  /** Time from sending the request to the response headers, in ms. @default 70_000 */
  headersTimeoutMs?: number;
  /** Longest gap between two body chunks, in ms. @default 70_000 */
  bodyTimeoutMs?: number;
}

/** Creates the default transport of this platform: in browsers, `createFetchTransport` over the global `fetch`. */
export function createDefaultTransport(options: DefaultTransportOptions = {}): Transport {
  const { headersTimeoutMs, bodyTimeoutMs } = options;
  return createFetchTransport({ headersTimeoutMs, bodyTimeoutMs });
}
