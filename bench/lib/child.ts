/**
 * Forking bench processes: TypeScript entry points run under tsx's CommonJS hook, with an IPC
 * channel for one request/answer at a time. A child that exits before answering rejects the request.
 *
 * `--require tsx/cjs` (not `--import tsx`): the ESM loader hooks run in a second V8 isolate that
 * adds ~35 MiB to every process's RSS, which would blur the peak-RSS column. Children therefore
 * load modules with `require`, never `import()`.
 */
import { fork, type ChildProcess } from 'node:child_process';

const TSX_CJS_HOOK = require.resolve('tsx/cjs');

export interface ForkOptions {
  /** Extra node flags, e.g. `--cpu-prof`. */
  execArgv?: readonly string[];
  /** Forward the child's stderr to ours. @default true */
  inheritStderr?: boolean;
}

/** Forks `file` (a .ts path) under tsx's CommonJS hook with an IPC channel. */
export function forkTs(file: string, args: readonly string[], options: ForkOptions = {}): ChildProcess {
  return fork(file, [...args], {
    execArgv: ['--require', TSX_CJS_HOOK, ...(options.execArgv ?? [])],
    stdio: ['ignore', 'inherit', options.inheritStderr === false ? 'pipe' : 'inherit', 'ipc'],
    serialization: 'advanced',
  });
}

/** Resolves with the next IPC message of `child`, or rejects when it exits or errs first. */
export function nextMessage<T>(child: ChildProcess, what: string, timeoutMs = 600_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    const onMessage = (message: unknown): void => { cleanup(); resolve(message as T); };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      cleanup();
      reject(new Error(`${what}: process ${child.pid} exited (code ${String(code)}, signal ${String(signal)}) before answering`));
    };
    const onError = (err: Error): void => { cleanup(); reject(err); };
    const timer = setTimeout(() => { cleanup(); reject(new Error(`${what}: no answer in ${timeoutMs} ms`)); }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** Sends `message` and waits for the answer. */
export function request<T>(child: ChildProcess, message: unknown, what: string, timeoutMs?: number): Promise<T> {
  const answer = nextMessage<T>(child, what, timeoutMs);
  child.send(message as never);
  return answer;
}

/** Resolves when the child has exited (kills it after `graceMs`). */
export function waitForExit(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
  });
}
