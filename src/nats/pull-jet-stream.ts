/**
 * The source: a durable pull consumer as a cold Observable of deliveries, pulled only when the
 * worker has room for them.
 */
import type { Consumer, ConsumerMessages } from '@nats-io/jetstream';
import { asyncScheduler, interval, Observable, type SchedulerLike } from 'rxjs';
import { JsMsgDelivery, type JetStreamDelivery } from './jet-stream-delivery.js';
import { NATS_DEFAULTS } from './nats-defaults.js';

/** Options of {@link pullJetStream$}. */
export interface PullJetStreamConfig {
  /**
   * Deliveries pulled and not yet finished, at most. The pull loop asks the server only for the
   * room left under this bound, so a slow worker never holds more than it can work on and the
   * rest of the backlog stays available to other workers.
   */
  maxInFlight: number;
  /**
   * The consumer's `ack_wait`, in ms. A delivery still unfinished after half of it is reported
   * as in progress (`working()`), so a record that is being retried is not redelivered to
   * another worker meanwhile.
   */
  ackWaitMs: number;
  /**
   * Pull again only once at least this many deliveries fit under `maxInFlight`, so a busy worker
   * asks for batches rather than one message per request.
   * @default a quarter of `maxInFlight` (at least 1)
   */
  minPull?: number;
  /**
   * How long one pull request waits at the server for messages, in ms (the client's minimum is 1000).
   * @default 2000
   */
  pullExpiresMs?: number;
  /**
   * Complete once the consumer has had nothing pending — no message waiting and none unacknowledged,
   * for any worker — for this long, in ms. @default never: the source follows the stream.
   */
  exitWhenIdleMs?: number;
  /**
   * When this emits, stop pulling: messages still arriving from the last pull are nak'ed for
   * immediate redelivery, and the Observable completes so downstream can finish what it holds.
   */
  stop?: Observable<unknown>;
  /** Called when a pull fails and is retried (a lost connection, missed heartbeats). */
  onPullError?(error: unknown): void;
  /** Clock and timers. @default asyncScheduler */
  scheduler?: SchedulerLike;
}

/** A message the server says about the stream or consumer being gone: retrying cannot help. */
const FATAL_PULL_ERROR = /stream not found|consumer not found|consumer deleted|no stream|no consumer/i;

/**
 * Pulls from a durable pull consumer with its own loop, bounded by `maxInFlight`.
 *
 * Subscribing starts the loop: it asks for as many messages as fit under `maxInFlight`, emits each
 * as a {@link JetStreamDelivery}, and asks again once enough of them are finished (`ack`, `nak`
 * or `term` by whoever holds them). While a delivery is unfinished it is reported as in progress
 * every half `ackWaitMs`. The Observable completes when `stop` emits (after the last pull ends)
 * or when `exitWhenIdleMs` has passed with nothing pending; it errors when the stream or consumer
 * is gone. Unsubscribing before then stops the loop and nak's every delivery pulled and not
 * finished, so the server redelivers them at once instead of after `ack_wait`; after completion
 * the deliveries handed out are for downstream to finish (or nak).
 *
 * (`from(consumer.consume())` would not do: an async iterator pulls eagerly, fills
 * `max_ack_pending` with messages this worker cannot start, and starves the other workers.)
 *
 * @example
 * ```ts
 * import { pullJetStream$ } from 'sagemaker-rx/nats';
 * const consumer = await jetstream(nc).consumers.get('reviews', 'enrich');
 * pullJetStream$(consumer, { maxInFlight: 64, ackWaitMs: 30_000 })
 *   .subscribe((d) => { console.log(d.streamSequence); d.ack(); });
 * ```
 */
export function pullJetStream$(consumer: Consumer, config: PullJetStreamConfig): Observable<JetStreamDelivery> {
  const { maxInFlight, ackWaitMs, scheduler = asyncScheduler } = config;
  if (!(Number.isInteger(maxInFlight) && maxInFlight >= 1)) throw new RangeError(`pullJetStream$: maxInFlight must be a positive integer, got ${maxInFlight}`);
  if (!(ackWaitMs > 0)) throw new RangeError(`pullJetStream$: ackWaitMs must be > 0 ms, got ${ackWaitMs}`);
  const minPull = config.minPull ?? Math.max(1, Math.floor(maxInFlight / 4));
  if (!(Number.isInteger(minPull) && minPull >= 1 && minPull <= maxInFlight)) {
    throw new RangeError(`pullJetStream$: minPull must be an integer from 1 to maxInFlight (${maxInFlight}), got ${minPull}`);
  }
  const expires = config.pullExpiresMs ?? NATS_DEFAULTS.pullExpiresMs;
  if (!(expires >= 1000)) throw new RangeError(`pullJetStream$: pullExpiresMs must be >= 1000 ms, got ${expires}`);
  const idleMs = config.exitWhenIdleMs;
  if (idleMs !== undefined && !(idleMs >= 0)) throw new RangeError(`pullJetStream$: exitWhenIdleMs must be >= 0 ms, got ${idleMs}`);

  return new Observable<JetStreamDelivery>((subscriber) => {
    /** Pulled and not finished. */
    const unfinished = new Set<JsMsgDelivery>();
    let closed = false;
    let stopping = false;
    let batch: ConsumerMessages | undefined;
    let wake: (() => void) | undefined;
    const poke = (): void => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const onFinished = (delivery: JsMsgDelivery): void => {
      unfinished.delete(delivery);
      if (maxInFlight - unfinished.size >= minPull) poke();
    };
    const sleep = (ms: number): Promise<void> =>
      new Promise((resolve) => {
        const timer = scheduler.schedule(() => { wake = undefined; resolve(); }, ms);
        wake = () => { timer.unsubscribe(); resolve(); };
      });

    const stopSubscription = config.stop?.subscribe(() => {
      stopping = true;
      // Ending the open pull request now rather than at its expiry; what is already on its
      // way is still yielded by the iterator and nak'ed below.
      void batch?.close();
      poke();
    });

    // Report every delivery still being worked on past half of ack_wait.
    const heartbeat = interval(Math.max(50, ackWaitMs / 4), scheduler).subscribe(() => {
      const now = scheduler.now();
      for (const delivery of unfinished) {
        if (now - delivery.touchedAt >= ackWaitMs / 2) {
          delivery.touchedAt = now;
          try {
            delivery.working();
          } catch {
            // A closed connection: the server redelivers after ack_wait, nothing to do here.
          }
        }
      }
    });

    let idleSince: number | undefined;
    /** True once the consumer has had nothing pending for `exitWhenIdleMs` (counted from the start of the empty pull). */
    const idleLongEnough = async (pullStartedAt: number): Promise<boolean> => {
      if (idleMs === undefined || unfinished.size > 0) {
        idleSince = undefined;
        return false;
      }
      const info = await consumer.info(false);
      if (info.num_pending + info.num_ack_pending > 0) {
        idleSince = undefined;
        return false;
      }
      idleSince ??= pullStartedAt;
      return scheduler.now() - idleSince >= idleMs;
    };

    const loop = async (): Promise<void> => {
      let failures = 0;
      while (!closed && !stopping) {
        const room = maxInFlight - unfinished.size;
        if (room < minPull) {
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        let received = 0;
        const pullStartedAt = scheduler.now();
        try {
          batch = await consumer.fetch({ max_messages: room, expires: idleMs !== undefined ? Math.min(expires, Math.max(1000, idleMs)) : expires });
          if (stopping || closed) void batch.close();
          for await (const msg of batch) {
            received++;
            const delivery = new JsMsgDelivery(msg, scheduler.now(), onFinished);
            if (closed || stopping) {
              delivery.nak();
              continue;
            }
            unfinished.add(delivery);
            idleSince = undefined;
            subscriber.next(delivery);
          }
          const ended = await batch.closed();
          if (ended instanceof Error) throw ended;
          failures = 0;
        } catch (err) {
          if (closed || stopping) break;
          if (FATAL_PULL_ERROR.test(String((err as Error)?.message ?? err))) throw err;
          failures++;
          config.onPullError?.(err);
          await sleep(Math.min(NATS_DEFAULTS.pullRetryMaxDelayMs, 100 * 2 ** Math.min(failures, 10)));
          continue;
        } finally {
          batch = undefined;
        }
        if (received === 0 && (await idleLongEnough(pullStartedAt))) break;
      }
    };

    let completed = false;
    loop().then(
      () => {
        completed = true;
        if (!closed) subscriber.complete();
      },
      (err: unknown) => {
        if (!closed) subscriber.error(err);
      },
    );

    return () => {
      closed = true;
      stopSubscription?.unsubscribe();
      heartbeat.unsubscribe();
      void batch?.close();
      poke();
      // After completion the deliveries handed out are downstream's to finish; only an
      // unsubscribe before that takes them back.
      if (completed) return;
      for (const delivery of [...unfinished]) {
        try {
          delivery.nak();
        } catch {
          // The connection is gone: the server redelivers after ack_wait.
        }
      }
    };
  });
}
