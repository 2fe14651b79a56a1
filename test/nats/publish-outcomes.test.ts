import { headers, type MsgHdrs } from '@nats-io/transport-node';
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { firstValueFrom, lastValueFrom, of, Subject, toArray } from 'rxjs';
import { ModelError, ServiceUnavailable } from '../../src/index';
import { DEAD_LETTER_HEADERS } from '../../src/nats/dead-letter';
import type { JetStreamDelivery } from '../../src/nats/jet-stream-delivery';
import type { JetStreamOutcome } from '../../src/nats/jet-stream-outcome';
import { defaultNakDelayMs, publishOutcomes, type JetStreamSettlement } from '../../src/nats/publish-outcomes';
import { pullJetStream$ } from '../../src/nats/pull-jet-stream';
import { connectFixture, eventually, makeStreamAndConsumer, publishRecords, sleep, uniqueName, type JetStreamFixture } from './jet-stream-fixture';
import { NATS_SERVER_MISSING, natsServerAvailable, startNatsServer, type NatsServerHandle } from './nats-server';

const decoder = new TextDecoder();
const record = (d: JetStreamDelivery) => ({ line: decoder.decode(d.data), meta: d });
const enriched = (d: JetStreamDelivery): JetStreamOutcome => ({ kind: 'enriched', record: record(d), line: decoder.decode(d.data).replace(/}$/, ',"prediction":1}') });
const failed = (d: JetStreamDelivery, error: ModelError | ServiceUnavailable): JetStreamOutcome => ({ kind: 'failed', record: record(d), error, errorLine: '{}' });
const modelError = () => new ModelError({ message: 'model says no', $fault: 'client', $metadata: { httpStatusCode: 424 }, OriginalStatusCode: 500 });
const unavailable = () => new ServiceUnavailable({ message: 'try later', $fault: 'server', $metadata: { httpStatusCode: 503 } });

describe('publishOutcomes: the order of publish and ack', () => {
  it('acks the input only after the server acknowledged its output', async () => {
    let release!: (ack: PubAck) => void;
    const published: Array<{ subject: string; msgID?: string }> = [];
    const js = {
      publish: (subject: string, _data: Uint8Array, opts?: { msgID?: string }) => {
        published.push({ subject, msgID: opts?.msgID });
        return new Promise<PubAck>((resolve) => (release = resolve));
      },
    } as unknown as JetStreamClient;
    const calls: string[] = [];
    const delivery = {
      data: new TextEncoder().encode('{"id":1}'), subject: 'in.x', stream: 'IN', streamSequence: 7, deliveryCount: 1, messageId: 'IN:7', finished: false,
      ack: () => calls.push('ack'), nak: () => calls.push('nak'), term: () => calls.push('term'), working: () => calls.push('working'),
    } satisfies JetStreamDelivery;
    const settled = firstValueFrom(of(enriched(delivery)).pipe(publishOutcomes(js, { toSubject: 'OUT.x', headers })));
    await sleep(50);
    expect(published).toEqual([{ subject: 'OUT.x', msgID: 'IN:7' }]);
    expect(calls).toEqual([]);
    release({ stream: 'OUT', seq: 1, duplicate: false });
    expect(await settled).toMatchObject({ kind: 'published', duplicate: false });
    expect(calls).toEqual(['ack']);
  });

  it('doubles the redelivery delay per delivery, up to a minute', () => {
    expect([1, 2, 3, 10].map(defaultNakDelayMs)).toEqual([1000, 2000, 4000, 60_000]);
  });
});

const available = natsServerAvailable();
if (!available) console.warn(`skipping the JetStream sink tests: ${NATS_SERVER_MISSING}`);
const describeNats = available ? describe : describe.skip;

describeNats('publishOutcomes against a real nats-server', () => {
  let server: NatsServerHandle;
  let f: JetStreamFixture;
  let out: string;

  beforeAll(async () => {
    server = await startNatsServer();
    f = await connectFixture(server.url);
    out = uniqueName('OUT');
    await f.jsm.streams.add({ name: out, subjects: [`${out}.>`] });
  });
  afterAll(async () => {
    await f?.close();
    await server?.stop();
  });

  /** Pulls `n` deliveries, maps each to an outcome and settles them through the sink. */
  async function settle(
    n: number,
    toOutcome: (d: JetStreamDelivery) => JetStreamOutcome,
    config: Partial<Parameters<typeof publishOutcomes>[1]> = {},
    setup: { ackWaitMs?: number } = {},
  ) {
    const { stream, subject, consumer } = await makeStreamAndConsumer(f, setup);
    await publishRecords(f, subject, n);
    const c = await f.js.consumers.get(stream, consumer);
    const stop = new Subject<void>();
    let count = 0;
    const settlements = await lastValueFrom(
      pullJetStream$(c, { maxInFlight: n, ackWaitMs: setup.ackWaitMs ?? 30_000, stop }).pipe(
        (source) => new (source.constructor as typeof import('rxjs').Observable)<JetStreamOutcome>((s) =>
          source.subscribe({ next: (d) => { s.next(toOutcome(d)); if (++count === n) stop.next(); }, error: (e) => s.error(e), complete: () => s.complete() }),
        ),
        publishOutcomes(f.js, { toSubject: `${out}.enriched`, headers, ...config }),
        toArray(),
      ),
    );
    return { settlements, stream, subject, consumer, c };
  }

  /** Acks are fire-and-forget: the server counts them a moment later. */
  async function expectNothingPending(stream: string, consumer: string): Promise<void> {
    await eventually(async () => {
      const info = await f.jsm.consumers.info(stream, consumer);
      return info.num_ack_pending + info.num_pending === 0;
    }, 5000, `${stream} to have nothing pending`);
  }

  async function readSubject(subject: string): Promise<Array<{ data: string; headers?: MsgHdrs; msgId?: string }>> {
    const info = await f.jsm.streams.info(out);
    const result: Array<{ data: string; headers?: MsgHdrs; msgId?: string }> = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const m = await f.jsm.streams.getMessage(out, { seq }).catch(() => null);
      if (m && m.subject === subject) result.push({ data: m.string(), headers: m.header, msgId: m.header?.get('Nats-Msg-Id') });
    }
    return result;
  }

  it('publishes each enriched record with the input stream and sequence as its message id, then acks the input', async () => {
    const { settlements, stream, consumer } = await settle(5, enriched);
    expect(settlements.map((s) => s.kind)).toEqual(Array(5).fill('published'));
    const outputs = (await readSubject(`${out}.enriched`)).filter((m) => m.msgId?.startsWith(`${stream}:`));
    expect(outputs.map((m) => m.msgId).sort()).toEqual([1, 2, 3, 4, 5].map((i) => `${stream}:${i}`).sort());
    expect(outputs.map((m) => m.data).sort()).toEqual([1, 2, 3, 4, 5].map((i) => `{"id":${i},"prediction":1}`).sort());
    await expectNothingPending(stream, consumer);
  });

  it('drops the output of a redelivered record as a duplicate', async () => {
    const { stream, subject, consumer } = await makeStreamAndConsumer(f);
    await publishRecords(f, subject, 1);
    const c = await f.js.consumers.get(stream, consumer);
    const first = await firstValueFrom(pullJetStream$(c, { maxInFlight: 1, ackWaitMs: 30_000 }));
    // A crash after the output is stored and before the ack: publish without finishing, then nak.
    await f.js.publish(`${out}.enriched`, 'first', { msgID: first.messageId });
    first.nak();
    const again = await firstValueFrom(pullJetStream$(c, { maxInFlight: 1, ackWaitMs: 30_000 }));
    expect(again.deliveryCount).toBe(2);
    const [settlement] = await lastValueFrom(of(enriched(again)).pipe(publishOutcomes(f.js, { toSubject: `${out}.enriched`, headers }), toArray()));
    expect(settlement).toMatchObject({ kind: 'published', duplicate: true });
    const outputs = (await readSubject(`${out}.enriched`)).filter((m) => m.msgId === first.messageId);
    expect(outputs.map((m) => m.data)).toEqual(['first']);
  });

  it('dead-letters a record that failed for good with its bytes, error and delivery count, and terminates it', async () => {
    const dead = `${out}.dead`;
    const { settlements, stream, consumer } = await settle(3, (d) => (d.streamSequence === 2 ? failed(d, modelError()) : enriched(d)), { deadLetterSubject: dead });
    expect(settlements.map((s) => s.kind).sort()).toEqual(['dead-lettered', 'published', 'published']);
    const letters = (await readSubject(dead)).filter((m) => m.headers?.get(DEAD_LETTER_HEADERS.stream) === stream);
    expect(letters).toHaveLength(1);
    const letter = letters[0]!;
    expect(letter.data).toBe('{"id":2}');
    expect(letter.headers?.get(DEAD_LETTER_HEADERS.sequence)).toBe('2');
    expect(letter.headers?.get(DEAD_LETTER_HEADERS.deliveries)).toBe('1');
    expect(JSON.parse(letter.headers!.get(DEAD_LETTER_HEADERS.error))).toMatchObject({
      name: 'ModelError', message: 'model says no', retryable: false, OriginalStatusCode: 500, $metadata: { httpStatusCode: 424 },
    });
    await expectNothingPending(stream, consumer);
  });

  it('naks a retryable failure with a delay, and dead-letters it on delivery maxDeliver', async () => {
    const dead = `${out}.dead2`;
    const { stream, subject, consumer } = await makeStreamAndConsumer(f);
    await publishRecords(f, subject, 1);
    const c = await f.js.consumers.get(stream, consumer);
    const sink = publishOutcomes(f.js, { toSubject: `${out}.enriched`, deadLetterSubject: dead, maxDeliver: 2, nakDelayMs: () => 300, headers });
    const settlements: JetStreamSettlement[] = [];
    const arrivals: number[] = [];
    const started = Date.now();
    const sub = pullJetStream$(c, { maxInFlight: 1, ackWaitMs: 30_000 })
      .pipe(
        (source) => new (source.constructor as typeof import('rxjs').Observable)<JetStreamOutcome>((s) =>
          source.subscribe({ next: (d) => { arrivals.push(Date.now() - started); s.next(failed(d, unavailable())); } }),
        ),
        sink,
      )
      .subscribe((s) => settlements.push(s));
    await eventually(() => settlements.length === 2, 10_000, 'two settlements');
    sub.unsubscribe();
    expect(settlements.map((s) => s.kind)).toEqual(['retry-later', 'dead-lettered']);
    expect(settlements[0]).toMatchObject({ delayMs: 300, error: { name: 'ServiceUnavailable', retryable: true } });
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(250);
    const letters = (await readSubject(dead)).filter((m) => m.headers?.get(DEAD_LETTER_HEADERS.stream) === stream);
    expect(letters.map((m) => m.headers?.get(DEAD_LETTER_HEADERS.deliveries))).toEqual(['2']);
    await expectNothingPending(stream, consumer);
  });

  it('naks, never acks, a record whose output cannot be published', async () => {
    const { stream, subject, consumer } = await makeStreamAndConsumer(f);
    await publishRecords(f, subject, 1);
    const c = await f.js.consumers.get(stream, consumer);
    const d = await firstValueFrom(pullJetStream$(c, { maxInFlight: 1, ackWaitMs: 30_000 }));
    const [settlement] = await lastValueFrom(
      of(enriched(d)).pipe(publishOutcomes(f.js, { toSubject: 'NO_STREAM.here', headers, publishTimeoutMs: 1000, nakDelayMs: () => 0 }), toArray()),
    );
    expect(settlement!.kind).toBe('publish-failed');
    const again = await firstValueFrom(pullJetStream$(c, { maxInFlight: 1, ackWaitMs: 30_000 }));
    expect([again.streamSequence, again.deliveryCount]).toEqual([d.streamSequence, 2]);
    again.ack();
  });
});
