/**
 * A worker of `sagemaker-rx enrich --nats` as a real child process, and helpers to read a stream
 * back: what the scale-out tests and the benchmark share.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { JetStreamClient } from '@nats-io/jetstream';
import { bin, childEnv, root } from '../integration/cli-process';

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything it wrote on stderr so far. */
  stderr(): string;
  /** Resolves with its exit code (or the signal that ended it). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `sagemaker-rx enrich <endpoint> --nats … <extra>` from the built package. */
export function startWorker(args: {
  endpointName: string;
  endpointUrl: string;
  natsUrl: string;
  stream: string;
  consumer: string;
  toSubject: string;
  extra?: string[];
  env?: Record<string, string>;
}): WorkerProcess {
  const argv = [
    bin, 'enrich', args.endpointName, '--endpoint-url', args.endpointUrl, '--nats', args.natsUrl,
    '--stream', args.stream, '--consumer', args.consumer, '--to-subject', args.toSubject, '--no-progress', ...(args.extra ?? []),
  ];
  const child = spawn(process.execPath, argv, { env: childEnv(args.env), cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    err += chunk;
    if (err.length > 256 * 1024) err = err.slice(-128 * 1024);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, pid: child.pid!, stderr: () => err, exited };
}

/** Every message of `stream` whose subject is `subject`, in stream order, read with an ordered consumer. */
export async function readStream(js: JetStreamClient, stream: string, subject: string): Promise<Array<{ data: string; msgId?: string; headers?: Record<string, string> }>> {
  // Unfiltered (a filtered ordered consumer needs server 2.10); the subject is checked here.
  const consumer = await js.consumers.get(stream);
  const found: Array<{ data: string; msgId?: string; headers?: Record<string, string> }> = [];
  for (;;) {
    const batch = await consumer.fetch({ max_messages: 1000, expires: 1000 });
    let pending = -1;
    for await (const m of batch) {
      pending = m.info.pending;
      if (m.subject !== subject) continue;
      const headers: Record<string, string> = {};
      for (const key of m.headers?.keys() ?? []) headers[key] = m.headers!.get(key);
      found.push({ data: m.string(), msgId: m.headers?.get('Nats-Msg-Id'), headers });
    }
    // Nothing more after the last one read, or nothing at all within the pull's expiry.
    if (pending <= 0) return found;
  }
}
