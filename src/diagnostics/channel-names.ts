/**
 * The names of the diagnostics channels the library publishes on (`node:diagnostics_channel`).
 * Subscribe with `diagnostics_channel.subscribe(name, listener)` or `subscribeDiagnostics`.
 * Each channel's message type is in `messages.ts`, under the same key.
 */
export const DIAGNOSTICS_CHANNELS = {
  /** An attempt was signed and handed to the transport: `AttemptStartMessage`. */
  attemptStart: 'sagemaker-rx:attempt:start',
  /** The attempt's response status and headers arrived: `AttemptHeadersMessage`. */
  attemptHeaders: 'sagemaker-rx:attempt:headers',
  /** A response stream delivered its first `PayloadPart`: `AttemptFirstChunkMessage`. */
  attemptFirstChunk: 'sagemaker-rx:attempt:first-chunk',
  /** The attempt ended (response, accepted, error or cancelled): `AttemptEndMessage`. */
  attemptEnd: 'sagemaker-rx:attempt:end',
  /** `retryInvocation` will make another attempt after a delay: `RetryScheduledMessage`. */
  retryScheduled: 'sagemaker-rx:retry:scheduled',
  /** A call made through `retryInvocation` ended, after all its attempts: `CallEndMessage`. */
  callEnd: 'sagemaker-rx:call:end',
  /** `throttleInvocations` is waiting for a limiter permit: `LimiterQueuedMessage`. */
  limiterQueued: 'sagemaker-rx:limiter:queued',
  /** A limiter granted a permit, at once or after a wait: `LimiterGrantedMessage`. */
  limiterGranted: 'sagemaker-rx:limiter:granted',
  /** `batchInvocations` packed items into one invocation: `BatchSentMessage`. */
  batchSent: 'sagemaker-rx:batch:sent',
} as const;

/** The key of a diagnostics channel in `DIAGNOSTICS_CHANNELS`. */
export type DiagnosticsChannelKey = keyof typeof DIAGNOSTICS_CHANNELS;
