/**
 * `createUndiciTransport` where undici cannot run (browsers, edge runtimes): the package's
 * `browser` field swaps `undici-transport.js` for this module so that a bundle of the public API
 * holds no undici; calling it throws, naming the transport to use instead.
 */
import type { Transport } from './transport.js';
import type { UndiciTransportOptions } from './undici-transport.js';

export type { UndiciTransportOptions } from './undici-transport.js';

/** Throws a `TypeError`: undici is Node-only; in browsers and edge runtimes use `createFetchTransport` (the default there). */
export function createUndiciTransport(_options: UndiciTransportOptions = {}): Transport {
  throw new TypeError(
    'createUndiciTransport: undici runs on Node only; in a browser or an edge runtime use createFetchTransport() or leave transport unset (the default there is fetch)',
  );
}
