/**
 * The client's default transport on Node: undici over pooled keep-alive connections. Bundlers
 * that honour the package's `browser` field use `default-transport.browser.ts` instead.
 */
import type { Transport } from '../transport/transport.js';
import { createUndiciTransport, type UndiciTransportOptions } from '../transport/undici-transport.js';

/** Options of `createDefaultTransport`: the connection settings of the client config. */
export type DefaultTransportOptions = UndiciTransportOptions;

/** Creates the default transport of this platform: on Node, `createUndiciTransport(options)`. */
export function createDefaultTransport(options: DefaultTransportOptions = {}): Transport {
  return createUndiciTransport(options);
}
