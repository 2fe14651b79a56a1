/** Defaults of the NATS JetStream integration, with their units. */
export const NATS_DEFAULTS = {
  /** How long one pull request waits at the server for messages, in ms (the client's minimum is 1000). */
  pullExpiresMs: 2_000,
  /** Longest pause between retries of a failed pull, in ms. */
  pullRetryMaxDelayMs: 5_000,
  /** The consumer's `ack_wait` when the worker creates it, in ms. */
  ackWaitMs: 30_000,
  /** Deliveries of one record before a retryable failure is dead-lettered. */
  maxDeliver: 5,
  /** First redelivery delay of a record that failed with a retryable error, in ms (doubles per delivery). */
  nakDelayMs: 1_000,
  /** Longest redelivery delay of a record that failed with a retryable error, in ms. */
  maxNakDelayMs: 60_000,
  /** How long a graceful stop waits for in-flight records, in ms, before nak'ing them. */
  drainTimeoutMs: 30_000,
  /** How long to wait for the server's PubAck of one output, in ms. */
  publishTimeoutMs: 10_000,
} as const;
