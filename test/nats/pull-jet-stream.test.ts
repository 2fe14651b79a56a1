import type { Subscription } from 'rxjs';
import { Subject } from 'rxjs';
import { pullJetStream$ } from '../../src/nats/pull-jet-stream';
import type { JetStreamDelivery } from '../../src/nats/jet-stream-delivery';
import { connectFixture, eventually, makeStreamAndConsumer, publishRecords, sleep, type JetStreamFixture } from './jet-stream-fixture';
import { NATS_SERVER_MISSING, natsServerAvailable, startNatsServer, type NatsServerHandle } from './nats-server';

const available = natsServerAvailable();
if (!available) console.warn(`skipping the JetStream source tests: ${NATS_SERVER_MISSING}`);
const describeNats = available ? describe : describe.skip;

describeNats('pullJetStream$ against a real nats-server', () => {
  let server: NatsServerHandle;
  let f: JetStreamFixture;
  const subscriptions: Subscription[] = [];

  beforeAll(async () => {
    server = await startNatsServer();
    f = await connectFixture(server.url);
  });
  afterEach(() => {
    for (const s of subscriptions.splice(0)) s.unsubscribe();
  });
  afterAll(async () => {
    await f?.close();
    await server?.stop();
  });

  it('pulls no more than maxInFlight and pulls again as deliveries are finished', async () => {
    const { stream, subject, consumer } = await makeStreamAndConsumer(f);
    await publishRecords(f, subject, 100);
    const held: JetStreamDelivery[] = [];
    subscriptions.push(
      pullJetStream$(await f.js.consumers.get(stream, consumer), { maxInFlight: 10, minPull: 5, ackWaitMs: 30_000 }).subscribe((d) => held.push(d)),
    );
    await eventually(() => held.length === 10, 5000, '10 deliveries');
    await sleep(300);
    expect(held).toHaveLength(10);
    // The server agrees: 10 handed out, 90 still available to other workers.
    let info = await f.jsm.consumers.info(stream, consumer);
    expect(info.num_ack_pending).toBe(10);
    expect(info.num_pending).toBe(90);

    // Four finished: less room than minPull, so no new pull yet.
    for (const d of held.slice(0, 4)) d.ack();
    await sleep(300);
    expect(held).toHaveLength(10);
    held[4]!.ack();
    await eventually(() => held.length === 15, 5000, '5 more deliveries');
    await sleep(300);
    expect(held).toHaveLength(15);
    info = await f.jsm.consumers.info(stream, consumer);
    expect(info.num_ack_pending).toBe(10);
    expect(held.map((d) => d.streamSequence)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  it('naks everything unfinished on unsubscribe, so it comes back long before ack_wait', async () => {
    const ackWaitMs = 30_000;
    const { stream, subject, consumer } = await makeStreamAndConsumer(f, { ackWaitMs });
    await publishRecords(f, subject, 20);
    const c = await f.js.consumers.get(stream, consumer);
    const first: JetStreamDelivery[] = [];
    const sub = pullJetStream$(c, { maxInFlight: 20, ackWaitMs }).subscribe((d) => first.push(d));
    await eventually(() => first.length === 20, 5000, '20 deliveries');
    first[0]!.ack(); // finished: must not come back
    const unsubscribedAt = Date.now();
    sub.unsubscribe();

    const again: JetStreamDelivery[] = [];
    subscriptions.push(pullJetStream$(c, { maxInFlight: 20, ackWaitMs }).subscribe((d) => again.push(d)));
    await eventually(() => again.length === 19, 10_000, '19 redeliveries');
    const backAfterMs = Date.now() - unsubscribedAt;
    console.log(`19 nak'ed deliveries back after ${backAfterMs} ms (ack_wait ${ackWaitMs} ms)`);
    expect(backAfterMs).toBeLessThan(ackWaitMs / 4);
    expect(again.map((d) => d.streamSequence).sort((a, b) => a - b)).toEqual(Array.from({ length: 19 }, (_, i) => i + 2));
    expect(again.every((d) => d.deliveryCount === 2)).toBe(true);
    for (const d of again) d.ack();
  });

  it('reports a delivery still in progress past half of ack_wait, so it is not redelivered', async () => {
    const ackWaitMs = 1000;
    const { stream, subject, consumer } = await makeStreamAndConsumer(f, { ackWaitMs });
    await publishRecords(f, subject, 1);
    const c = await f.js.consumers.get(stream, consumer);
    const held: JetStreamDelivery[] = [];
    subscriptions.push(pullJetStream$(c, { maxInFlight: 1, ackWaitMs }).subscribe((d) => held.push(d)));
    await eventually(() => held.length === 1, 5000, 'a delivery');
    // Three ack_waits: without working() the server would redeliver it, and a second puller would get it.
    const other: JetStreamDelivery[] = [];
    subscriptions.push(pullJetStream$(c, { maxInFlight: 5, ackWaitMs }).subscribe((d) => other.push(d)));
    await sleep(3 * ackWaitMs);
    expect(other).toHaveLength(0);
    held[0]!.ack();
    await eventually(async () => (await f.jsm.consumers.info(stream, consumer)).num_ack_pending === 0, 5000, 'the ack');
    expect((await f.jsm.consumers.info(stream, consumer)).num_redelivered).toBe(0);
  });

  it('without working() the same hold is redelivered (the control of the test above)', async () => {
    const ackWaitMs = 1000;
    const { stream, subject, consumer } = await makeStreamAndConsumer(f, { ackWaitMs });
    await publishRecords(f, subject, 1);
    const c = await f.js.consumers.get(stream, consumer);
    const held = await c.next({ expires: 2000 });
    expect(held).not.toBeNull();
    const other: JetStreamDelivery[] = [];
    subscriptions.push(pullJetStream$(c, { maxInFlight: 5, ackWaitMs }).subscribe((d) => other.push(d)));
    await eventually(() => other.length === 1, 3 * ackWaitMs, 'the redelivery');
    expect(other[0]!.deliveryCount).toBe(2);
    other[0]!.ack();
  });

  it('on stop completes once the last pull ends, leaving what it did not hand out for others', async () => {
    const { stream, subject, consumer } = await makeStreamAndConsumer(f);
    await publishRecords(f, subject, 30);
    const c = await f.js.consumers.get(stream, consumer);
    const stop = new Subject<void>();
    const held: JetStreamDelivery[] = [];
    let completed = false;
    subscriptions.push(
      pullJetStream$(c, { maxInFlight: 10, ackWaitMs: 30_000, stop }).subscribe({ next: (d) => held.push(d), complete: () => (completed = true) }),
    );
    await eventually(() => held.length === 10, 5000, '10 deliveries');
    stop.next();
    for (const d of held) d.ack();
    await eventually(() => completed, 5000, 'completion');
    await sleep(200);
    expect(held).toHaveLength(10);
    const info = await f.jsm.consumers.info(stream, consumer);
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(20);
  });

  it('with exitWhenIdleMs completes once the consumer has had nothing pending that long', async () => {
    const { stream, subject, consumer } = await makeStreamAndConsumer(f);
    await publishRecords(f, subject, 5);
    const c = await f.js.consumers.get(stream, consumer);
    const seen: number[] = [];
    let completedAt = 0;
    const started = Date.now();
    subscriptions.push(
      pullJetStream$(c, { maxInFlight: 10, ackWaitMs: 30_000, exitWhenIdleMs: 500 }).subscribe({
        next: (d) => {
          seen.push(d.streamSequence);
          setTimeout(() => d.ack(), 200);
        },
        complete: () => (completedAt = Date.now()),
      }),
    );
    await eventually(() => completedAt > 0, 10_000, 'completion');
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(completedAt - started).toBeGreaterThanOrEqual(500);
    expect((await f.jsm.consumers.info(stream, consumer)).num_ack_pending).toBe(0);
  });

  it('errors when its consumer is deleted', async () => {
    const { stream, consumer } = await makeStreamAndConsumer(f);
    const c = await f.js.consumers.get(stream, consumer);
    let error: unknown;
    subscriptions.push(pullJetStream$(c, { maxInFlight: 5, ackWaitMs: 30_000 }).subscribe({ error: (e) => (error = e) }));
    await sleep(200);
    await f.jsm.consumers.delete(stream, consumer);
    await eventually(() => error !== undefined, 10_000, 'the error');
    expect(String((error as Error).message)).toMatch(/consumer/i);
  });

  it('rejects a bad bound when it is created', async () => {
    const { stream, consumer } = await makeStreamAndConsumer(f);
    const c = await f.js.consumers.get(stream, consumer);
    expect(() => pullJetStream$(c, { maxInFlight: 0, ackWaitMs: 1000 })).toThrow(/maxInFlight must be a positive integer, got 0/);
    expect(() => pullJetStream$(c, { maxInFlight: 4, minPull: 5, ackWaitMs: 1000 })).toThrow(/minPull/);
    expect(() => pullJetStream$(c, { maxInFlight: 4, ackWaitMs: 1000, pullExpiresMs: 10 })).toThrow(/pullExpiresMs must be >= 1000/);
  });
});
