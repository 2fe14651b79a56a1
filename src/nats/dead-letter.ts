/**
 * What a dead letter carries. The body is the input message byte for byte, so it can be
 * republished to the input subject as it is; the why travels in headers.
 */
import { errorToJson, type ErrorJson } from '../node/index.js';
import type { JetStreamDelivery } from './jet-stream-delivery.js';

/** Header names set on a dead letter. */
export const DEAD_LETTER_HEADERS = {
  /** The error as JSON: `{"name","message","retryable","throttling","$metadata",…}`. */
  error: 'SageMaker-Rx-Error',
  /** How many times the record was delivered, this delivery included. */
  deliveries: 'SageMaker-Rx-Deliveries',
  /** The stream the record came from. */
  stream: 'SageMaker-Rx-Stream',
  /** Its sequence in that stream. */
  sequence: 'SageMaker-Rx-Sequence',
  /** The subject it was published on. */
  subject: 'SageMaker-Rx-Subject',
} as const;

/** The JSON form of the error a dead letter carries: the engine's error JSON (an allow-list, no secrets). */
export type DeadLetterError = ErrorJson;

/** The JSON form of a thrown value, for the error header. */
export function deadLetterError(error: unknown): DeadLetterError {
  return errorToJson(error);
}

/** The message id of the dead letter of a delivery: distinct from its output's, equal across redeliveries. */
export function deadLetterMessageId(delivery: Pick<JetStreamDelivery, 'messageId'>): string {
  return `${delivery.messageId}:dead-letter`;
}

/** The header values of the dead letter of `delivery`. */
export function deadLetterHeaderValues(delivery: JetStreamDelivery, error: DeadLetterError): Record<string, string> {
  return {
    [DEAD_LETTER_HEADERS.error]: JSON.stringify(error),
    [DEAD_LETTER_HEADERS.deliveries]: String(delivery.deliveryCount),
    [DEAD_LETTER_HEADERS.stream]: delivery.stream,
    [DEAD_LETTER_HEADERS.sequence]: String(delivery.streamSequence),
    [DEAD_LETTER_HEADERS.subject]: delivery.subject,
  };
}
