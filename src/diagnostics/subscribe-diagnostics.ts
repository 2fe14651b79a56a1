import { subscribeChannel } from './diagnostics-channel.js';
import { DIAGNOSTICS_CHANNELS, type DiagnosticsChannelKey } from './channel-names.js';
import type { DiagnosticsMessages } from './messages.js';

/** Listeners for some of the diagnostics channels, by their key in `DIAGNOSTICS_CHANNELS`. */
export type DiagnosticsListeners = { [K in DiagnosticsChannelKey]?: (message: DiagnosticsMessages[K]) => void };

/**
 * Subscribes typed listeners to the library's diagnostics channels and returns the function that
 * unsubscribes them all. The same as `diagnostics_channel.subscribe(DIAGNOSTICS_CHANNELS.x, fn)`
 * for each; in a browser bundle nothing is ever published, so no listener is called.
 *
 * @example
 * ```ts
 * import { subscribeDiagnostics } from 'sagemaker-rx';
 * const stop = subscribeDiagnostics({
 *   attemptEnd: (m) => console.log(m.invocation.endpointName, m.outcome, m.durationMs),
 * });
 * // reviews response 41.7
 * stop();
 * ```
 */
export function subscribeDiagnostics(listeners: DiagnosticsListeners): () => void {
  const stops: Array<() => void> = [];
  for (const key of Object.keys(DIAGNOSTICS_CHANNELS) as DiagnosticsChannelKey[]) {
    const listener = listeners[key] as ((message: unknown) => void) | undefined;
    if (listener !== undefined) stops.push(subscribeChannel(DIAGNOSTICS_CHANNELS[key], listener));
  }
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    for (const stop of stops) stop();
  };
}
