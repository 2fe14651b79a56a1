/** The channel objects the library publishes on, one per name, created once at load. */
import { publishingChannel, type PublishingChannel } from './diagnostics-channel.js';
import { DIAGNOSTICS_CHANNELS, type DiagnosticsChannelKey } from './channel-names.js';

export const channels: Readonly<Record<DiagnosticsChannelKey, PublishingChannel>> = {
  attemptStart: publishingChannel(DIAGNOSTICS_CHANNELS.attemptStart),
  attemptHeaders: publishingChannel(DIAGNOSTICS_CHANNELS.attemptHeaders),
  attemptFirstChunk: publishingChannel(DIAGNOSTICS_CHANNELS.attemptFirstChunk),
  attemptEnd: publishingChannel(DIAGNOSTICS_CHANNELS.attemptEnd),
  retryScheduled: publishingChannel(DIAGNOSTICS_CHANNELS.retryScheduled),
  callEnd: publishingChannel(DIAGNOSTICS_CHANNELS.callEnd),
  limiterQueued: publishingChannel(DIAGNOSTICS_CHANNELS.limiterQueued),
  limiterGranted: publishingChannel(DIAGNOSTICS_CHANNELS.limiterGranted),
  batchSent: publishingChannel(DIAGNOSTICS_CHANNELS.batchSent),
};

const { attemptStart, attemptHeaders, attemptFirstChunk, attemptEnd } = channels;

/** True when any per-attempt channel has a subscriber: only then is an attempt's record built. */
export function attemptChannelsActive(): boolean {
  return attemptStart.hasSubscribers || attemptHeaders.hasSubscribers || attemptFirstChunk.hasSubscribers || attemptEnd.hasSubscribers;
}
