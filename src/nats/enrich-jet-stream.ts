/**
 * One enrichment worker on JetStream: the engine of file mode between a durable pull consumer and
 * an output subject, at-least-once in, effectively-once out.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { filter, finalize, map, merge, share, Subject, tap } from 'rxjs';
import { enrichRecords, fatalCauseOf, type EnrichRecordsOptions } from '../node/index.js';
import type { JetStreamDelivery } from './jet-stream-delivery.js';
import type { JetStreamOutcome, JetStreamRecord } from './jet-stream-outcome.js';
import { countSettlement, createJetStreamRunStats, type JetStreamRunStats } from './jet-stream-run-stats.js';
import { JetStreamSetupError } from './jet-stream-setup-error.js';
import { NATS_DEFAULTS } from './nats-defaults.js';
import { loadNatsPeers } from './nats-peers.js';
import { prepareJetStream, type PreparedJetStream } from './prepare-jet-stream.js';
import { publishOutcomes, type JetStreamSettlement } from './publish-outcomes.js';
import { pullJetStream$ } from './pull-jet-stream.js';

/** Options of {@link enrichJetStream}: the engine's (`enrichRecords`) and the broker's. */
export interface EnrichJetStreamOptions extends Omit<EnrichRecordsOptions<JetStreamDelivery>, 'ordered' | 'stats' | 'errorContext'> {
  /** NATS server URL(s) to connect to (`nats://host:4222`). Not with `connection`. */
  servers?: string | string[];
  /** An open connection to use instead (with your own auth and TLS); left open at the end. */
  connection?: NatsConnection;
  /** The input stream. It must exist. */
  stream: string;
  /** The durable pull consumer the workers share; created when missing. */
  consumer: string;
  /** Where enriched records are published; a stream must store it. */
  toSubject: string;
  /** Where records that fail for good are published (the input bytes, the error in headers); a stream must store it. */
  deadLetterSubject?: string;
  /** Deliveries of a record before a retryable failure is final. @default 5 */
  maxDeliver?: number;
  /** `ack_wait` of a consumer created here, in ms (an existing consumer keeps its own). @default 30000 */
  ackWaitMs?: number;
  /** `max_ack_pending` of a consumer created here (an existing consumer keeps its own). @default 1000 */
  maxAckPending?: number;
  /** Create the consumer when it is missing. @default true */
  createConsumer?: boolean;
  /** Deliveries this worker holds at once, at most. @default concurrency × batchSize × 2, at least 16 */
  maxInFlight?: number;
  /** End once the consumer has had nothing pending (for any worker) this long, in ms. @default never */
  exitWhenIdleMs?: number;
  /** Aborting stops the worker gracefully: no more pulls, in-flight records finished, the rest nak'ed. */
  signal?: AbortSignal;
  /** How long a graceful stop waits for in-flight records before nak'ing them, in ms. @default 30000 */
  drainTimeoutMs?: number;
  /** Redelivery delay after a retryable failure on delivery `n`, in ms. @default 1 s doubling, at most 60 s */
  nakDelayMs?(deliveryCount: number): number;
  /** Counters to fill while the run goes on (for progress lines). @default fresh ones */
  stats?: JetStreamRunStats;
  /** Called with each record's settlement (published, dead-lettered, nak'ed). */
  onSettled?(settlement: JetStreamSettlement): void;
  /** Called when a pull fails and is retried (a lost connection, missed heartbeats). */
  onPullError?(error: unknown): void;
  /** Called once the setup is checked (and the consumer created), before the first pull. */
  onReady?(jetStream: PreparedJetStream): void;
}

/** How a worker's run ended. */
export interface JetStreamRunResult {
  readonly stats: JetStreamRunStats;
  /** `idle`: `exitWhenIdleMs` passed with nothing pending; `stopped`: the signal, drained; `drain-timeout`: the signal, the rest nak'ed. */
  readonly ended: 'idle' | 'stopped' | 'drain-timeout';
  /** What the run found or created on the server. */
  readonly jetStream: PreparedJetStream;
}

/** Failures that say the worker is misconfigured, not the record bad: nak'ed for later, never dead-lettered. */
function isWorkerFault(error: Parameters<typeof fatalCauseOf>[0]): boolean {
  const cause = fatalCauseOf(error);
  return cause !== undefined && cause.kind !== 'validation';
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The message as text, or undefined when it is not valid UTF-8. */
function utf8Text(data: Uint8Array): string | undefined {
  try {
    return decoder.decode(data);
  } catch {
    return undefined;
  }
}

const NOT_TEXT = 'the message is not UTF-8 text';

/** The outcome of a message that is not text: malformed, counted as the engine counts its own. */
function notText(delivery: JetStreamDelivery, stats: JetStreamRunStats): JetStreamOutcome {
  stats.failed++;
  stats.malformed++;
  const error = { name: 'MalformedRecord', message: NOT_TEXT, retryable: false, $metadata: {} };
  const context = { stream: delivery.stream, sequence: delivery.streamSequence, deliveries: delivery.deliveryCount };
  return { kind: 'malformed', record: { line: '', meta: delivery }, reason: NOT_TEXT, errorLine: JSON.stringify({ ...context, error, record: null }) };
}

/**
 * Runs one enrichment worker until `exitWhenIdleMs` passes with nothing pending or `signal` aborts.
 * Start as many as needed, on as many machines: they share the durable consumer.
 *
 * Before the first pull it checks the setup (input stream present, output and dead-letter
 * subjects stored by streams, outputs not flowing back into the input) and creates the consumer
 * when missing, rejecting with `JetStreamSetupError` otherwise. Then each delivery's text goes
 * through `enrichRecords` (batching, retries, the limiter, the circuit breaker) and each outcome
 * through `publishOutcomes`: the output is published with `Nats-Msg-Id` = `<stream>:<sequence>`
 * and the input acked only once the server has stored it; a record that fails for good is
 * dead-lettered and terminated; a retryable failure is nak'ed with a delay until `maxDeliver`.
 *
 * Rejects with the engine's `CircuitOpenError` when every record fails with the same cause no
 * retry fixes (the records in flight are nak'ed and stay in the stream), with
 * `NatsPeerMissingError` when `@nats-io/*` is not installed, and with connection errors.
 *
 * @example
 * ```ts
 * import { SageMakerRuntime } from 'sagemaker-rx';
 * import { enrichJetStream } from 'sagemaker-rx/nats';
 *
 * const stop = new AbortController();
 * process.once('SIGTERM', () => stop.abort());
 * const { stats } = await enrichJetStream({
 *   client: new SageMakerRuntime({ region: 'eu-west-1' }), endpointName: 'sentiment', field: 'text',
 *   servers: 'nats://127.0.0.1:4222', stream: 'REVIEWS', consumer: 'enrich', toSubject: 'enriched.reviews',
 *   deadLetterSubject: 'dead.reviews', signal: stop.signal,
 * });
 * console.log(`${stats.published} published, ${stats.deadLettered} dead-lettered`);
 * ```
 */
export async function enrichJetStream(options: EnrichJetStreamOptions): Promise<JetStreamRunResult> {
  const { stream, consumer, toSubject } = options;
  for (const [name, value] of [['stream', stream], ['consumer', consumer], ['toSubject', toSubject]] as const) {
    if (typeof value !== 'string' || value === '') throw new TypeError(`enrichJetStream: ${name} must be a non-empty string`);
  }
  if (options.deadLetterSubject === '') throw new TypeError('enrichJetStream: deadLetterSubject must be a non-empty subject when given');
  if ((options.servers === undefined) === (options.connection === undefined)) throw new TypeError('enrichJetStream: give either servers or connection');
  const concurrency = options.concurrency ?? 8;
  const batchSize = options.batchSize ?? 1;
  const maxInFlight = options.maxInFlight ?? Math.max(16, concurrency * batchSize * 2);
  if (!(Number.isInteger(maxInFlight) && maxInFlight >= 1)) throw new RangeError(`enrichJetStream: maxInFlight must be a positive integer, got ${maxInFlight}`);
  const drainTimeoutMs = options.drainTimeoutMs ?? NATS_DEFAULTS.drainTimeoutMs;
  if (!(drainTimeoutMs >= 0)) throw new RangeError(`enrichJetStream: drainTimeoutMs must be >= 0 ms, got ${drainTimeoutMs}`);
  const stats = options.stats ?? createJetStreamRunStats();

  const peers = await loadNatsPeers();
  let nc: NatsConnection;
  try {
    nc = options.connection ?? (await peers.transport.connect({ servers: options.servers!, name: `sagemaker-rx enrich ${consumer}` }));
  } catch (err) {
    throw new JetStreamSetupError('server-unreachable', `cannot connect to NATS at ${[options.servers].flat().join(', ')}: ${(err as Error)?.message ?? String(err)}`, err);
  }
  try {
    const jsm = await peers.jetstream.jetstreamManager(nc);
    const prepared = await prepareJetStream(jsm, {
      stream,
      consumer,
      toSubject,
      ...(options.deadLetterSubject !== undefined ? { deadLetterSubject: options.deadLetterSubject } : {}),
      ackWaitMs: options.ackWaitMs ?? NATS_DEFAULTS.ackWaitMs,
      maxAckPending: options.maxAckPending ?? 1000,
      ...(options.createConsumer !== undefined ? { createConsumer: options.createConsumer } : {}),
    });
    options.onReady?.(prepared);
    const js = peers.jetstream.jetstream(nc);
    const pullConsumer = await js.consumers.get(stream, consumer);

    const {
      servers: _servers, connection: _connection, stream: _stream, consumer: _consumer, toSubject: _to, deadLetterSubject,
      maxDeliver, ackWaitMs: _ackWait, maxAckPending: _maxAckPending, createConsumer: _create, maxInFlight: _maxInFlight,
      exitWhenIdleMs, signal, drainTimeoutMs: _drain, nakDelayMs, stats: _stats, onSettled, onPullError, onReady: _onReady, ...engine
    } = options;

    const ended = await new Promise<JetStreamRunResult['ended']>((resolve, reject) => {
      const stop = new Subject<void>();
      /** Deliveries between the source and their settlement: nak'ed if the run ends without settling them. */
      const held = new Set<JetStreamDelivery>();
      let how: JetStreamRunResult['ended'] = 'idle';
      let drainTimer: ReturnType<typeof setTimeout> | undefined;

      const subscription = pullJetStream$(pullConsumer, {
        maxInFlight,
        ackWaitMs: prepared.ackWaitMs,
        stop,
        ...(exitWhenIdleMs !== undefined ? { exitWhenIdleMs } : {}),
        ...(onPullError ? { onPullError } : {}),
      })
        .pipe(
          tap((delivery) => {
            held.add(delivery);
            stats.read++;
            if (delivery.deliveryCount > 1) stats.redeliveries++;
          }),
          map((delivery) => ({ delivery, text: utf8Text(delivery.data) })),
          // Text goes to the engine; a message that is not UTF-8 could not come out byte for byte, so
          // it is malformed here, never decoded with replacement characters.
          share(),
          (decoded$) =>
            merge(
              decoded$.pipe(
                filter((d) => d.text !== undefined),
                map((d): JetStreamRecord => ({ line: d.text!, meta: d.delivery })),
                enrichRecords<JetStreamDelivery>({
                  ...engine,
                  ordered: false,
                  stats,
                  errorContext: (d) => ({ stream: d.stream, sequence: d.streamSequence, deliveries: d.deliveryCount }),
                }),
              ),
              decoded$.pipe(
                filter((d) => d.text === undefined),
                map((d): JetStreamOutcome => notText(d.delivery, stats)),
              ),
            ),
          publishOutcomes(js, {
            toSubject,
            ...(deadLetterSubject !== undefined ? { deadLetterSubject } : {}),
            ...(maxDeliver !== undefined ? { maxDeliver } : {}),
            ...(nakDelayMs ? { nakDelayMs } : {}),
            isWorkerFault,
            headers: peers.transport.headers,
          }),
          tap((settlement) => {
            held.delete(settlement.delivery);
            countSettlement(stats, settlement);
            onSettled?.(settlement);
          }),
          finalize(() => {
            for (const delivery of held) {
              try {
                delivery.nak();
              } catch {
                // The connection is gone: the server redelivers after ack_wait.
              }
            }
            held.clear();
          }),
        )
        .subscribe({
          error: (err: unknown) => {
            done();
            reject(err);
          },
          complete: () => {
            done();
            resolve(how);
          },
        });

      const onAbort = (): void => {
        if (how !== 'idle') return;
        how = 'stopped';
        stop.next();
        drainTimer = setTimeout(() => {
          how = 'drain-timeout';
          subscription.unsubscribe();
          done();
          resolve(how);
        }, drainTimeoutMs);
      };
      const done = (): void => {
        signal?.removeEventListener('abort', onAbort);
        if (drainTimer) clearTimeout(drainTimer);
      };
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort);
    });
    return { stats, ended, jetStream: prepared };
  } finally {
    // Acks are fire-and-forget: drain (or flush) so the server has them all before we return.
    if (options.connection) await nc.flush().catch(() => undefined);
    else await nc.drain().catch(() => undefined);
  }
}
