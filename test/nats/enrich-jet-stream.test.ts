import { startTestEmulator, type TestEmulator } from '../../src/testing/index';
import { DEAD_LETTER_HEADERS } from '../../src/nats/dead-letter';
import { enrichJetStream } from '../../src/nats/enrich-jet-stream';
import { isJetStreamSetupError } from '../../src/nats/jet-stream-setup-error';
import { connectFixture, eventually, makeStreamAndConsumer, publishRecords, uniqueName, type JetStreamFixture } from './jet-stream-fixture';
import { NATS_SERVER_MISSING, natsServerAvailable, startNatsServer, type NatsServerHandle } from './nats-server';

const available = natsServerAvailable();
if (!available) console.warn(`skipping the enrichJetStream tests: ${NATS_SERVER_MISSING}`);
const describeNats = available ? describe : describe.skip;

/** A model that answers `{"n": <id × 2>}`, fails record 13 with a 500 from the container, and records 21 with a throttle-free 503 once. */
function doubler(): (req: { body: Buffer }) => { body: string; contentType: string; status?: number } {
  return (req) => {
    const { id } = JSON.parse(req.body.toString('utf8')) as { id: number };
    if (id === 13) return { body: 'no thirteen', contentType: 'text/plain', status: 500 };
    return { body: JSON.stringify({ n: id * 2 }), contentType: 'application/json' };
  };
}

describeNats('enrichJetStream: one worker against a real nats-server and the emulator', () => {
  let server: NatsServerHandle;
  let f: JetStreamFixture;
  let t: TestEmulator;
  let out: string;

  beforeAll(async () => {
    server = await startNatsServer();
    f = await connectFixture(server.url);
    t = await startTestEmulator({ endpoints: { doubler: { model: doubler() } } });
    out = uniqueName('OUT');
    await f.jsm.streams.add({ name: out, subjects: [`${out}.>`] });
  });
  afterAll(async () => {
    await t?.close();
    await f?.close();
    await server?.stop();
  });

  async function messagesOn(subject: string) {
    const info = await f.jsm.streams.info(out);
    const found: Array<{ data: string; bytes: Uint8Array; h: (name: string) => string | undefined }> = [];
    for (let seq = info.state.first_seq; info.state.messages > 0 && seq <= info.state.last_seq; seq++) {
      const m = await f.jsm.streams.getMessage(out, { seq }).catch(() => null);
      if (m?.subject === subject) found.push({ data: m.string(), bytes: m.data, h: (name) => m.header?.get(name) });
    }
    return found;
  }

  it('enriches every record once, dead-letters the malformed and the failing ones, and ends when idle', async () => {
    const { stream, subject } = await makeStreamAndConsumer(f);
    await publishRecords(f, subject, 60, (i) => (i === 7 ? '{"id":7,' : `{"id":${i},"big":12345678901234567891}`));
    // Record 61: JSON, but not UTF-8 (a lone 0xff inside a string).
    const notUtf8 = Uint8Array.from([...Buffer.from('{"id":61,"name":"'), 0xff, ...Buffer.from('"}')]);
    await f.js.publish(subject, notUtf8);
    const consumer = 'fresh'; // created by the worker
    const toSubject = `${out}.${stream}.enriched`;
    const deadLetterSubject = `${out}.${stream}.dead`;
    const result = await enrichJetStream({
      client: t.client, endpointName: 'doubler', servers: server.url, stream, consumer, toSubject, deadLetterSubject,
      concurrency: 4, exitWhenIdleMs: 300, ackWaitMs: 5000, maxAckPending: 50,
    });
    expect(result.ended).toBe('idle');
    expect(result.jetStream).toMatchObject({ created: true, ackWaitMs: 5000, maxAckPending: 50 });
    expect(result.stats).toMatchObject({ read: 61, published: 58, deadLettered: 3, malformed: 2, duplicates: 0, redeliveries: 0 });

    const outputs = await messagesOn(toSubject);
    expect(outputs).toHaveLength(58);
    const byId = new Map(outputs.map((o) => [JSON.parse(o.data).id as number, o]));
    expect(byId.get(1)!.data).toBe('{"id":1,"big":12345678901234567891,"prediction":{"n":2}}');
    expect(byId.get(1)!.h('Nats-Msg-Id')).toBe(`${stream}:1`);
    expect([...byId.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1).filter((i) => i !== 7 && i !== 13));

    const letters = await messagesOn(deadLetterSubject);
    expect(letters.filter((l) => l.h(DEAD_LETTER_HEADERS.sequence) !== '61').map((l) => l.data).sort()).toEqual(['{"id":13,"big":12345678901234567891}', '{"id":7,']);
    const binary = letters.find((l) => l.h(DEAD_LETTER_HEADERS.sequence) === '61')!;
    expect(Buffer.from(binary.bytes)).toEqual(Buffer.from(notUtf8));
    expect(JSON.parse(binary.h(DEAD_LETTER_HEADERS.error)!)).toMatchObject({ name: 'MalformedRecord', message: 'the message is not UTF-8 text' });
    const thirteen = letters.find((l) => l.data.startsWith('{"id":13'))!;
    expect(JSON.parse(thirteen.h(DEAD_LETTER_HEADERS.error)!)).toMatchObject({ name: 'ModelError', OriginalStatusCode: 500, retryable: false });
    expect(thirteen.h(DEAD_LETTER_HEADERS.sequence)).toBe('13');
    expect(JSON.parse(letters.find((l) => l.data === '{"id":7,')!.h(DEAD_LETTER_HEADERS.error)!)).toMatchObject({ name: 'MalformedRecord' });

    const info = await f.jsm.consumers.info(stream, consumer);
    expect(info.num_pending + info.num_ack_pending).toBe(0);
  });

  it('stops on its signal: finishes what it holds, leaves the rest in the stream', async () => {
    const slow = await startTestEmulator({ endpoints: { echo: { model: 'echo', faults: { latencyMs: 200 } } } });
    try {
      const { stream, subject, consumer } = await makeStreamAndConsumer(f);
      await publishRecords(f, subject, 500);
      const stop = new AbortController();
      const toSubject = `${out}.${stream}.enriched`;
      const run = enrichJetStream({ client: slow.client, endpointName: 'echo', servers: server.url, stream, consumer, toSubject, concurrency: 4, maxInFlight: 8, signal: stop.signal });
      await eventually(async () => (await messagesOn(toSubject)).length >= 8, 10_000, 'some outputs');
      stop.abort();
      const result = await run;
      expect(result.ended).toBe('stopped');
      const published = result.stats.published;
      expect(published).toBeGreaterThanOrEqual(8);
      expect(published).toBeLessThan(500);
      await eventually(async () => {
        const info = await f.jsm.consumers.info(stream, consumer);
        return info.num_ack_pending === 0 && info.num_pending === 500 - published;
      }, 5000, 'the rest back in the stream');
      expect(await messagesOn(toSubject)).toHaveLength(published);
    } finally {
      await slow.close();
    }
  });

  it('on its signal with a drain timeout, gives back what it could not finish in time', async () => {
    const stuck = await startTestEmulator({ endpoints: { slow: { model: 'echo', faults: { latencyMs: 10_000 } } } });
    try {
      const { stream, subject, consumer } = await makeStreamAndConsumer(f);
      await publishRecords(f, subject, 10);
      const stop = new AbortController();
      const run = enrichJetStream({
        client: stuck.client, endpointName: 'slow', servers: server.url, stream, consumer, toSubject: `${out}.${stream}.enriched`,
        concurrency: 2, maxInFlight: 4, signal: stop.signal, drainTimeoutMs: 300,
      });
      await eventually(async () => (await f.jsm.consumers.info(stream, consumer)).num_ack_pending === 4, 5000, 'four records in hand');
      const stoppedAt = Date.now();
      stop.abort();
      const result = await run;
      const tookMs = Date.now() - stoppedAt;
      expect(result.ended).toBe('drain-timeout');
      expect(result.stats.published).toBe(0);
      expect(tookMs).toBeLessThan(5000);
      // They come back at once (ack_wait is 30 s): a fresh pull gets all ten, four on their second delivery.
      const c = await f.js.consumers.get(stream, consumer);
      const again = await c.fetch({ max_messages: 10, expires: 2000 });
      const counts: number[] = [];
      for await (const m of again) {
        counts.push(m.info.deliveryCount);
        m.ack();
      }
      expect(counts.sort()).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2]);
      expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    } finally {
      await stuck.close();
    }
  });

  it('stops on the circuit breaker when the endpoint does not exist, dead-lettering nothing and leaving every record in the stream', async () => {
    const { stream, subject, consumer } = await makeStreamAndConsumer(f);
    await publishRecords(f, subject, 40);
    const deadLetterSubject = `${out}.${stream}.dead`;
    const toSubject = `${out}.${stream}.enriched`;
    const error = await enrichJetStream({
      client: t.client, endpointName: 'no-such-endpoint', servers: server.url, stream, consumer, toSubject, deadLetterSubject,
      concurrency: 2, retry: false, breaker: { maxConsecutiveFailures: 5 },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'CircuitOpenError', kind: 'endpoint-not-found' });
    // an input is acked only after its output is stored, and terminated only after its dead letter
    expect(await messagesOn(toSubject)).toEqual([]);
    expect(await messagesOn(deadLetterSubject)).toEqual([]);
    // Nothing acked or terminated: the ack floor has not moved and the stream still holds all 40.
    // (Pending counts are not compared: a nak'ed message whose delay has run out is in neither
    // num_pending nor num_ack_pending, so they would depend on how long the stop took.)
    const info = await f.jsm.consumers.info(stream, consumer);
    expect(info.ack_floor.stream_seq).toBe(0);
    expect((await f.jsm.streams.info(stream)).state.messages).toBe(40);
  });

  it('refuses to start when the input stream does not exist, naming it', async () => {
    const error = await enrichJetStream({ client: t.client, endpointName: 'doubler', servers: server.url, stream: 'NOPE', consumer: 'c', toSubject: `${out}.x` }).catch((e: unknown) => e);
    expect(isJetStreamSetupError(error)).toBe(true);
    expect((error as Error).message).toMatch(/stream 'NOPE' does not exist/);
  });

  it('refuses an output subject no stream stores, and one that flows back into the input', async () => {
    const { stream, subject, consumer } = await makeStreamAndConsumer(f);
    const noStore = await enrichJetStream({ client: t.client, endpointName: 'doubler', servers: server.url, stream, consumer, toSubject: 'nowhere.at.all' }).catch((e: unknown) => e);
    expect((noStore as Error).message).toMatch(/no stream stores the output \(--to-subject\) subject 'nowhere.at.all'/);
    const loop = await enrichJetStream({ client: t.client, endpointName: 'doubler', servers: server.url, stream, consumer, toSubject: `${subject}.out` }).catch((e: unknown) => e);
    expect(loop).toMatchObject({ name: 'JetStreamSetupError', problem: 'output-loops-to-input' });
  });
});
