/**
 * One message pulled from a JetStream consumer, with the handles that finish it. A delivery is
 * finished once — by `ack`, `nak` or `term` — and every later call is ignored, so a record
 * finished by the sink is never nak'ed again by the source's teardown.
 */
import type { JsMsg } from '@nats-io/jetstream';

/** A pulled message and its acknowledgement handles. */
export interface JetStreamDelivery {
  /** The message body, byte for byte as it was published. */
  readonly data: Uint8Array;
  /** The subject it was published on. */
  readonly subject: string;
  /** The stream it is stored in. */
  readonly stream: string;
  /** Its sequence in that stream: the same on every redelivery. */
  readonly streamSequence: number;
  /** 1 on the first delivery, 2 on the first redelivery, … */
  readonly deliveryCount: number;
  /** The message id an output derived from this message is published with: `<stream>:<sequence>`. */
  readonly messageId: string;
  /** True once `ack`, `nak` or `term` was called. */
  readonly finished: boolean;
  /** Processed: the server forgets it. */
  ack(): void;
  /** Not processed: the server redelivers it after `delayMs` (at once when absent). */
  nak(delayMs?: number): void;
  /** Never to be processed: the server stops redelivering it. */
  term(reason?: string): void;
  /** Still being processed: the server restarts its `ack_wait`. Ignored once finished. */
  working(): void;
}

/** The message id of the output derived from message `sequence` of `stream`. */
export function outputMessageId(stream: string, sequence: number): string {
  return `${stream}:${sequence}`;
}

/** A {@link JetStreamDelivery} over a `JsMsg`, telling its owner when it is finished. */
export class JsMsgDelivery implements JetStreamDelivery {
  readonly stream: string;
  readonly streamSequence: number;
  readonly deliveryCount: number;
  readonly messageId: string;
  /** When it was pulled or last reported as in progress, on the source's clock (ms). */
  touchedAt: number;
  private done = false;

  constructor(
    private readonly msg: JsMsg,
    now: number,
    private readonly onFinished: (delivery: JsMsgDelivery) => void,
  ) {
    const info = msg.info;
    this.stream = info.stream;
    this.streamSequence = info.streamSequence;
    this.deliveryCount = info.deliveryCount;
    this.messageId = outputMessageId(info.stream, info.streamSequence);
    this.touchedAt = now;
  }

  get data(): Uint8Array {
    return this.msg.data;
  }

  get subject(): string {
    return this.msg.subject;
  }

  get finished(): boolean {
    return this.done;
  }

  ack(): void {
    this.finish(() => this.msg.ack());
  }

  nak(delayMs?: number): void {
    this.finish(() => this.msg.nak(delayMs !== undefined && delayMs > 0 ? Math.round(delayMs) : undefined));
  }

  term(reason?: string): void {
    this.finish(() => this.msg.term(reason));
  }

  working(): void {
    if (!this.done) this.msg.working();
  }

  private finish(send: () => void): void {
    if (this.done) return;
    this.done = true;
    try {
      send();
    } finally {
      this.onFinished(this);
    }
  }
}
