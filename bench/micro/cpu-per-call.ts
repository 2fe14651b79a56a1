/**
 * The harness the per-call micro-benchmarks share: a closed loop of calls with a fixed number in
 * flight, timed by this process's CPU, and the alternating rounds that run each compiled build in
 * its own child process and keep the lowest figures (the least disturbed by other load).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Observable } from 'rxjs';

/** CPU µs per call over `calls` calls of `call()`, `inFlight` at a time, each run to completion. */
export function cpuMicrosPerCall(call: () => Observable<unknown>, calls: number, inFlight = 16): Promise<number> {
  return new Promise((done) => {
    let started = 0;
    let finished = 0;
    const cpu = process.cpuUsage();
    const next = (): void => {
      if (started >= calls) return;
      started += 1;
      call().subscribe({
        complete: () => {
          finished += 1;
          if (finished < calls) return next();
          const used = process.cpuUsage(cpu);
          done((used.user + used.system) / calls);
        },
      });
    };
    for (let i = 0; i < inFlight; i++) next();
  });
}

/** The command line of a micro-benchmark: builds, `--calls`, `--rounds`, and whether this process is a child. */
export function parseMicroArgs(argv: readonly string[], defaults: { calls: number; rounds: number }): { dirs: string[]; calls: number; rounds: number; child: boolean } {
  const args = [...argv];
  const flag = (name: string, fallback: number): number => {
    const i = args.indexOf(name);
    return i === -1 ? fallback : Number(args.splice(i, 2)[1]);
  };
  const calls = flag('--calls', defaults.calls);
  const rounds = flag('--rounds', defaults.rounds);
  const child = args[0] === '--child';
  const dirs = (child ? args.slice(1) : args).map((d) => resolve(d));
  return { dirs, calls, rounds, child };
}

/**
 * Runs `script --child <dir> --calls N` for each build in turn, `rounds` times, and keeps the
 * lowest of each figure the child prints as JSON.
 */
export function lowestOfAlternatingRounds<F>(script: string, dirs: readonly string[], calls: number, rounds: number): F[] {
  const best = dirs.map(() => ({}) as Record<string, number>);
  for (let r = 0; r < rounds; r++) {
    dirs.forEach((dir, i) => {
      const out = execFileSync(process.execPath, [...process.execArgv, script, '--child', dir, '--calls', String(calls)], { encoding: 'utf8' });
      const figures = JSON.parse(out) as Record<string, number>;
      for (const [name, value] of Object.entries(figures)) best[i]![name] = Math.min(best[i]![name] ?? Infinity, value);
    });
  }
  return best as unknown as F[];
}
