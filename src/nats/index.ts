/**
 * sagemaker-rx/nats — enrichment workers on NATS JetStream (Node only).
 *
 * Needs the optional peers `@nats-io/transport-node` and `@nats-io/jetstream` (3.x); importing this
 * subpath never loads them, the functions that connect do, and fail with `NatsPeerMissingError`
 * naming them when they are absent.
 *
 * The seam a broker adapter implements, around the engine's `enrichRecords`:
 *
 * ```
 * source   Observable<delivery>        pulled only when there is room; each delivery finished once:
 *                                      ack (done) | nak(delayMs) (again) | term (never again)
 *   → { line: text of the message, meta: delivery }     → enrichRecords(…)  →  one outcome per record
 * sink     outcome → publish output (await the broker's ack) → ack the input
 *                  | failed & retryable & deliveries < maxDeliver → nak(delay)
 *                  | otherwise → dead letter (await) → term
 * teardown every delivery pulled and not finished → nak (redelivered at once)
 * ```
 */

// The worker
export { enrichJetStream, type EnrichJetStreamOptions, type JetStreamRunResult } from './enrich-jet-stream.js';
export { createJetStreamRunStats, countSettlement, type JetStreamRunStats } from './jet-stream-run-stats.js';
export { prepareJetStream, type PrepareJetStreamConfig, type PreparedJetStream } from './prepare-jet-stream.js';
export { JetStreamSetupError, isJetStreamSetupError } from './jet-stream-setup-error.js';

// The source
export { pullJetStream$, type PullJetStreamConfig } from './pull-jet-stream.js';
export { outputMessageId, type JetStreamDelivery } from './jet-stream-delivery.js';

// The sink
export { publishOutcomes, defaultNakDelayMs, type PublishOutcomesConfig, type JetStreamSettlement } from './publish-outcomes.js';
export type { JetStreamOutcome, JetStreamRecord } from './jet-stream-outcome.js';
export { DEAD_LETTER_HEADERS, deadLetterError, deadLetterMessageId, type DeadLetterError } from './dead-letter.js';

// The optional peers
export { loadNatsPeers, type NatsPeers } from './nats-peers.js';
export { NatsPeerMissingError, isNatsPeerMissingError, NATS_PEERS, type NatsPeerName } from './nats-peer-missing-error.js';

// Defaults
export { NATS_DEFAULTS } from './nats-defaults.js';
