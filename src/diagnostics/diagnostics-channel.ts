/**
 * The diagnostics seam on Node: named channels of `node:diagnostics_channel`, the publication
 * mechanism undici and Node's own http use. Bundlers that honour the package's `browser` field
 * use `diagnostics-channel.browser.ts` instead, where nothing is published.
 */
import { channel, subscribe, unsubscribe } from 'node:diagnostics_channel';

/** What the library needs of a channel to publish on it. */
export interface PublishingChannel {
  /** True while someone listens: publishers build a message only then. */
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
}

/** True on a platform where channels carry messages (Node); false in a browser bundle. */
export const DIAGNOSTICS_AVAILABLE = true;

/** The named channel to publish on (the same object for the same name, process-wide). */
export function publishingChannel(name: string): PublishingChannel {
  return channel(name);
}

/**
 * Subscribes `listener` to the channel `name` and returns the function that unsubscribes it.
 * Goes through `subscribe(name, …)`, which keeps the channel alive while it has a listener.
 */
export function subscribeChannel(name: string, listener: (message: unknown) => void): () => void {
  const onMessage = (message: unknown) => listener(message);
  subscribe(name, onMessage);
  return () => {
    unsubscribe(name, onMessage);
  };
}
