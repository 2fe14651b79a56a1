/**
 * Connects to a test nats-server and makes the streams and consumers a test needs.
 */
import { AckPolicy, jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

export interface JetStreamFixture {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  close(): Promise<void>;
}

export async function connectFixture(url: string): Promise<JetStreamFixture> {
  const nc = await connect({ servers: url });
  const jsm = await jetstreamManager(nc);
  return { nc, js: jetstream(nc), jsm, close: () => nc.drain() };
}

let counter = 0;
/** A name unique within the test run, so tests sharing a server do not see each other's data. */
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}_${process.pid}_${counter}`;
}

/** A stream on `<name>.>` and a durable explicit-ack pull consumer on it. */
export async function makeStreamAndConsumer(
  f: JetStreamFixture,
  options: { ackWaitMs?: number; maxAckPending?: number; duplicateWindowMs?: number } = {},
): Promise<{ stream: string; subject: string; consumer: string }> {
  const stream = uniqueName('IN');
  await f.jsm.streams.add({
    name: stream,
    subjects: [`${stream}.>`],
    ...(options.duplicateWindowMs !== undefined ? { duplicate_window: options.duplicateWindowMs * 1e6 } : {}),
  });
  const consumer = 'workers';
  await f.jsm.consumers.add(stream, {
    durable_name: consumer,
    ack_policy: AckPolicy.Explicit,
    ack_wait: (options.ackWaitMs ?? 30_000) * 1e6,
    max_ack_pending: options.maxAckPending ?? 1000,
  });
  return { stream, subject: `${stream}.records`, consumer };
}

/** Publishes `n` JSON records `{"id":i}` (1-based) and waits for each PubAck. */
export async function publishRecords(f: JetStreamFixture, subject: string, n: number, body = (i: number) => `{"id":${i}}`): Promise<void> {
  const pending: Promise<unknown>[] = [];
  for (let i = 1; i <= n; i++) {
    pending.push(f.js.publish(subject, body(i)));
    if (pending.length >= 500) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
}

/** Resolves once `predicate()` holds, polling; rejects after `timeoutMs`. */
export async function eventually(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
