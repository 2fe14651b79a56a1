/**
 * The sink: each outcome published, then its input finished — the output first, acknowledged by
 * the server, and only then the input's ack.
 */
import type { JetStreamClient } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';
import { from, mergeMap, type OperatorFunction } from 'rxjs';
import type { SageMakerRuntimeError } from '../index.js';
import { deadLetterError, deadLetterHeaderValues, deadLetterMessageId, type DeadLetterError } from './dead-letter.js';
import type { JetStreamDelivery } from './jet-stream-delivery.js';
import type { JetStreamOutcome } from './jet-stream-outcome.js';
import { NATS_DEFAULTS } from './nats-defaults.js';

/** Options of {@link publishOutcomes}. */
export interface PublishOutcomesConfig {
  /** Where enriched records are published. A stream must capture it (its duplicate window drops redelivered outputs). */
  toSubject: string;
  /**
   * Where records that fail for good are published (body: the input bytes; headers: the error
   * JSON, the delivery count, the source stream, sequence and subject). Without it such a
   * record is terminated and only counted and reported.
   */
  deadLetterSubject?: string;
  /** Deliveries of a record before a retryable failure is final. @default 5 */
  maxDeliver?: number;
  /** Redelivery delay after a retryable failure on delivery `n` (1-based), in ms. @default 1 s doubling per delivery, at most 60 s */
  nakDelayMs?(deliveryCount: number): number;
  /** How long to wait for the server's PubAck, in ms. @default 10000 */
  publishTimeoutMs?: number;
  /**
   * True for a failure that says the worker is misconfigured rather than the record bad (endpoint
   * not found, access denied, credentials): such a record is nak'ed for later, never dead-lettered,
   * whatever its delivery count. @default none
   */
  isWorkerFault?(error: SageMakerRuntimeError): boolean;
  /** Makes the headers of a dead letter (the peer's `headers()`). */
  headers(): MsgHdrs;
}

/** How one record was settled. */
export type JetStreamSettlement =
  /** Output acknowledged by the server (`duplicate`: it was there already, from an earlier delivery), input acked. */
  | { readonly kind: 'published'; readonly delivery: JetStreamDelivery; readonly duplicate: boolean }
  /** Failed for good: dead letter acknowledged by the server (or no dead-letter subject), input terminated. */
  | { readonly kind: 'dead-lettered'; readonly delivery: JetStreamDelivery; readonly error: DeadLetterError; readonly published: boolean }
  /** Failed, worth another try (or the worker is at fault): input nak'ed to come back after `delayMs`. */
  | { readonly kind: 'retry-later'; readonly delivery: JetStreamDelivery; readonly error: DeadLetterError; readonly delayMs: number }
  /** The output or dead letter could not be published: input nak'ed, nothing lost. */
  | { readonly kind: 'publish-failed'; readonly delivery: JetStreamDelivery; readonly error: unknown; readonly delayMs: number };

/** The default redelivery delay: 1 s on the first delivery, doubling, at most 60 s. */
export function defaultNakDelayMs(deliveryCount: number): number {
  return Math.min(NATS_DEFAULTS.maxNakDelayMs, NATS_DEFAULTS.nakDelayMs * 2 ** Math.max(0, deliveryCount - 1));
}

const encoder = new TextEncoder();

/**
 * Publishes each outcome and finishes its input, emitting one {@link JetStreamSettlement} per outcome.
 *
 * - enriched: the output line is published to `toSubject` with `Nats-Msg-Id` = the input's
 *   `<stream>:<sequence>`; once the server has stored it (PubAck) the input is acked. A crash
 *   between the two redelivers the input; its output is then a duplicate the stream drops.
 * - failed with a retryable error, delivery count below `maxDeliver`: the input is nak'ed with a
 *   growing delay, so the server redelivers it (maybe to another worker).
 * - failed otherwise, or malformed: the dead letter is published (when `deadLetterSubject` is
 *   set) and the input terminated.
 * - a publish that fails (no stream, timeout): the input is nak'ed — never acked without its output.
 *
 * Outcomes are handled concurrently; the source bounds how many there are.
 */
export function publishOutcomes(js: JetStreamClient, config: PublishOutcomesConfig): OperatorFunction<JetStreamOutcome, JetStreamSettlement> {
  const maxDeliver = config.maxDeliver ?? NATS_DEFAULTS.maxDeliver;
  if (!(Number.isInteger(maxDeliver) && maxDeliver >= 1)) throw new RangeError(`publishOutcomes: maxDeliver must be a positive integer, got ${maxDeliver}`);
  if (!config.toSubject) throw new TypeError('publishOutcomes: toSubject must be a non-empty subject');
  const nakDelayMs = config.nakDelayMs ?? defaultNakDelayMs;
  const timeout = config.publishTimeoutMs ?? NATS_DEFAULTS.publishTimeoutMs;

  const publishFailed = (delivery: JetStreamDelivery, error: unknown): JetStreamSettlement => {
    const delayMs = nakDelayMs(delivery.deliveryCount);
    delivery.nak(delayMs);
    return { kind: 'publish-failed', delivery, error, delayMs };
  };

  const deadLetter = async (delivery: JetStreamDelivery, error: DeadLetterError): Promise<JetStreamSettlement> => {
    if (config.deadLetterSubject !== undefined) {
      const headers = config.headers();
      for (const [name, value] of Object.entries(deadLetterHeaderValues(delivery, error))) headers.set(name, value);
      try {
        await js.publish(config.deadLetterSubject, delivery.data, { msgID: deadLetterMessageId(delivery), headers, timeout });
      } catch (err) {
        return publishFailed(delivery, err);
      }
    }
    // No reason text: servers before 2.11 do not recognise `+TERM <reason>` and would ignore the term. The
    // dead letter carries the why.
    delivery.term();
    return { kind: 'dead-lettered', delivery, error, published: config.deadLetterSubject !== undefined };
  };

  const settle = async (outcome: JetStreamOutcome): Promise<JetStreamSettlement> => {
    const delivery = outcome.record.meta;
    switch (outcome.kind) {
      case 'enriched': {
        try {
          const ack = await js.publish(config.toSubject, encoder.encode(outcome.line), { msgID: delivery.messageId, timeout });
          delivery.ack();
          return { kind: 'published', delivery, duplicate: ack.duplicate };
        } catch (err) {
          return publishFailed(delivery, err);
        }
      }
      case 'failed': {
        const error = deadLetterError(outcome.error);
        if ((outcome.error.retryable && delivery.deliveryCount < maxDeliver) || config.isWorkerFault?.(outcome.error)) {
          const delayMs = nakDelayMs(delivery.deliveryCount);
          delivery.nak(delayMs);
          return { kind: 'retry-later', delivery, error, delayMs };
        }
        return deadLetter(delivery, error);
      }
      case 'malformed':
        return deadLetter(delivery, { name: 'MalformedRecord', message: outcome.reason, retryable: false, $metadata: {} });
    }
  };

  return mergeMap((outcome) => from(settle(outcome)));
}
