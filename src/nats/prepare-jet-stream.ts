/**
 * Checks, before the first pull, that a run can work, and creates its durable consumer when missing.
 */
import type { AckPolicy, ConsumerInfo, DeliverPolicy, JetStreamManager } from '@nats-io/jetstream';
import { JetStreamSetupError } from './jet-stream-setup-error.js';
import { subjectMatches } from './subject-matches.js';

/** What {@link prepareJetStream} checks and creates. */
export interface PrepareJetStreamConfig {
  stream: string;
  consumer: string;
  toSubject: string;
  deadLetterSubject?: string;
  /** `ack_wait` of a consumer created here, in ms. */
  ackWaitMs: number;
  /** `max_ack_pending` of a consumer created here. */
  maxAckPending: number;
  /** Create the consumer when it does not exist. @default true */
  createConsumer?: boolean;
}

/** What the run needs to know about its consumer. */
export interface PreparedJetStream {
  /** The consumer's `ack_wait` as the server has it, in ms. */
  readonly ackWaitMs: number;
  readonly maxAckPending: number;
  /** True when this call created the consumer. */
  readonly created: boolean;
  /** The output stream's duplicate window, in ms: outputs of records redelivered later than that are not de-duplicated. */
  readonly duplicateWindowMs: number;
}

// The enums' values, written out: a value import would load the optional peer with this module.
const EXPLICIT_ACK = 'explicit' as AckPolicy;
const DELIVER_ALL = 'all' as DeliverPolicy;
const STREAM_NOT_FOUND = 10059;
const CONSUMER_NOT_FOUND = 10014;
const codeOf = (err: unknown): unknown => (err as { code?: unknown } | null)?.code;

async function streamStoring(jsm: JetStreamManager, subject: string, option: string): Promise<string> {
  try {
    return await jsm.streams.find(subject);
  } catch (err) {
    throw new JetStreamSetupError(
      'subject-not-stored',
      `no stream stores ${option} subject '${subject}': add it to a stream's subjects (its duplicate window is what drops a redelivered record's second output)`,
      err,
    );
  }
}

/**
 * Verifies the input stream exists, that streams store the output (and dead-letter) subjects and
 * the outputs do not flow back into the consumer, and returns the consumer's settings — creating
 * a durable explicit-ack pull consumer with `ackWaitMs` and `maxAckPending` when it is missing.
 * Several workers starting at once may all try; the losers read the winner's consumer.
 */
export async function prepareJetStream(jsm: JetStreamManager, config: PrepareJetStreamConfig): Promise<PreparedJetStream> {
  const { stream, consumer } = config;
  try {
    await jsm.streams.info(stream);
  } catch (err) {
    if (codeOf(err) === STREAM_NOT_FOUND) {
      throw new JetStreamSetupError('stream-not-found', `stream '${stream}' does not exist: create it first (for example \`nats stream add ${stream} --subjects '${stream.toLowerCase()}.>'\`)`, err);
    }
    throw err;
  }
  const outputStream = await streamStoring(jsm, config.toSubject, 'the output (--to-subject)');
  if (config.deadLetterSubject !== undefined) await streamStoring(jsm, config.deadLetterSubject, 'the dead-letter (--dead-letter-subject)');

  let info: ConsumerInfo | undefined;
  let created = false;
  try {
    info = await jsm.consumers.info(stream, consumer);
  } catch (err) {
    if (codeOf(err) !== CONSUMER_NOT_FOUND) throw err;
    if (config.createConsumer === false) {
      throw new JetStreamSetupError('consumer-unusable', `consumer '${consumer}' does not exist on stream '${stream}'`, err);
    }
  }
  if (!info) {
    try {
      info = await jsm.consumers.add(stream, {
        durable_name: consumer,
        ack_policy: EXPLICIT_ACK,
        deliver_policy: DELIVER_ALL,
        ack_wait: config.ackWaitMs * 1e6,
        max_ack_pending: config.maxAckPending,
      });
      created = true;
    } catch (err) {
      // Another worker created it first with other settings, or at the same moment: use theirs.
      info = await jsm.consumers.info(stream, consumer).catch(() => {
        throw err;
      });
    }
  }
  const c = info.config;
  if (c.deliver_subject) throw new JetStreamSetupError('consumer-unusable', `consumer '${consumer}' is a push consumer: workers share a pull consumer (create one without a deliver subject)`);
  if (c.ack_policy !== EXPLICIT_ACK) throw new JetStreamSetupError('consumer-unusable', `consumer '${consumer}' has ack_policy '${c.ack_policy}': workers need explicit acks`);

  const filters = [c.filter_subject, ...(c.filter_subjects ?? [])].filter((f): f is string => typeof f === 'string' && f !== '');
  const loops = (subject: string): boolean => filters.length === 0 || filters.some((f) => subjectMatches(f, subject));
  if (outputStream === stream && loops(config.toSubject)) {
    throw new JetStreamSetupError('output-loops-to-input', `the output subject '${config.toSubject}' is stored in the input stream '${stream}' and delivered to consumer '${consumer}': every output would be enriched again`);
  }
  const outInfo = await jsm.streams.info(outputStream);
  return {
    ackWaitMs: Math.round((c.ack_wait ?? 30e9) / 1e6),
    maxAckPending: c.max_ack_pending ?? -1,
    created,
    duplicateWindowMs: Math.round((outInfo.config.duplicate_window ?? 0) / 1e6),
  };
}
