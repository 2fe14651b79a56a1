/**
 * The diagnostics seam in browsers and edge runtimes: there is no `node:diagnostics_channel`, so
 * every channel is silent. Publishers see `hasSubscribers: false` and build nothing; a client's
 * `logger` option still works (it does not go through channels).
 */

/** What the library needs of a channel to publish on it. */
export interface PublishingChannel {
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
}

/** True on a platform where channels carry messages (Node); false in a browser bundle. */
export const DIAGNOSTICS_AVAILABLE = false;

const SILENT: PublishingChannel = { hasSubscribers: false, publish: () => undefined };

/** A channel that never has subscribers. */
export function publishingChannel(_name: string): PublishingChannel {
  return SILENT;
}

/** Nothing is ever published here: the listener is never called. */
export function subscribeChannel(_name: string, _listener: (message: unknown) => void): () => void {
  return () => undefined;
}
