/**
 * A real `nats-server -js` for tests and benchmarks: started on a free loopback port with a
 * temporary store, ready when it says so on its log, stopped by PID and its store removed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running server. */
export interface NatsServerHandle {
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** The JetStream store directory (removed by `stop`). */
  readonly storeDir: string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its store. */
  stop(): Promise<void>;
}

/** Where the server binary is looked up: `NATS_SERVER` or the PATH. */
export const NATS_SERVER_BIN = process.env.NATS_SERVER ?? 'nats-server';

/** True when a `nats-server` binary can be run on this machine. */
export function natsServerAvailable(): boolean {
  const probe = spawnSync(NATS_SERVER_BIN, ['--version'], { encoding: 'utf8' });
  return probe.status === 0;
}

/** The message a test prints when it skips for want of the server. */
export const NATS_SERVER_MISSING =
  'nats-server is not installed: install the Debian package `nats-server` (scripts/ci/install-system-packages.sh does) or set NATS_SERVER';

const LISTENING = /Listening for client connections on [^:\s]+:(\d+)/;
const READY = /Server is ready/;

/** Starts `nats-server -js` on 127.0.0.1 with a random free port (`-p -1`) and a fresh store. */
export function startNatsServer(options: { readyTimeoutMs?: number } = {}): Promise<NatsServerHandle> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  const storeDir = mkdtempSync(join(tmpdir(), 'sagemaker-rx-nats-'));
  const child: ChildProcess = spawn(NATS_SERVER_BIN, ['-js', '-a', '127.0.0.1', '-p', '-1', '-sd', storeDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(storeDir, { recursive: true, force: true });
  };

  return new Promise<NatsServerHandle>((resolve, reject) => {
    let port: number | undefined;
    const fail = (why: string): void => {
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`nats-server did not start: ${why}\n${log}`)));
    };
    const timer = setTimeout(() => fail(`not ready after ${readyTimeoutMs} ms`), readyTimeoutMs);
    child.once('error', (err) => fail(err.message));
    const onEarlyExit = (code: number | null, signal: string | null): void => fail(`exited (${signal ?? code}) before it was ready`);
    child.once('exit', onEarlyExit);
    child.stderr!.setEncoding('utf8');
    const onLog = (chunk: string): void => {
      // Keep only the start-up log; a long run must not grow the test's memory.
      if (log.length < 64 * 1024) log += chunk;
      port ??= Number(LISTENING.exec(log)?.[1]) || undefined;
      if (port !== undefined && READY.test(log)) {
        clearTimeout(timer);
        child.off('exit', onEarlyExit);
        child.stderr!.off('data', onLog);
        child.stderr!.resume();
        resolve({ url: `nats://127.0.0.1:${port}`, port, pid: child.pid!, storeDir, stop });
      }
    };
    child.stderr!.on('data', onLog);
  });
}
