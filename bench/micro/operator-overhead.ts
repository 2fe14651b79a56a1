/**
 * CPU cost of the resilience operators alone, per call: `retryInvocation`, `timeoutInvocation`
 * and `throttleInvocations` composed over a source that emits a client-like `sent` at once and
 * its `response` (the client's `$metadata`: attempts 1, totalRetryDelay 0) on the next turn of
 * the event loop, 16 calls in flight, against the same source bare. No client, no signing: the
 * figure is what the operators add. Given several compiled builds (`dist/cjs` folders), it runs
 * them in alternation, each in its own child process, and reports the lowest of each.
 *
 *   npx tsx bench/micro/operator-overhead.ts <dist/cjs> [<other dist/cjs> …] [--calls 100000] [--rounds 5]
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';

interface Figures {
  bare: number;
  composed: number;
}

async function measure(libDir: string, calls: number): Promise<Figures> {
  const lib = require(libDir) as Record<string, any>;
  const { Observable } = require('rxjs') as typeof import('rxjs');
  const sent = { type: 'sent', attempt: 1, timestamp: 0, request: { method: 'POST', url: 'u', headers: {}, bodySize: 0 } };
  const source = new Observable<unknown>((s) => {
    s.next(sent);
    let live = true;
    setImmediate(() => {
      if (!live) return;
      const $metadata = { httpStatusCode: 200, requestId: 'r', attempts: 1, totalRetryDelay: 0 };
      s.next({ type: 'response', attempt: 1, timestamp: 0, durationMs: 0, output: { Body: new Uint8Array(0), $metadata } });
      s.complete();
    });
    return () => {
      live = false;
    };
  });
  const limiter = lib.createLimiter({ maxConcurrency: 64 });
  const quota = lib.createRetryQuota();
  /** CPU µs per call over `calls` calls, 16 in flight. */
  const run = (composed: boolean): Promise<number> =>
    new Promise((done) => {
      let started = 0;
      let finished = 0;
      const cpu = process.cpuUsage();
      const next = (): void => {
        if (started >= calls) return;
        started += 1;
        let call = source;
        if (composed) call = call.pipe(lib.timeoutInvocation(5_000), lib.throttleInvocations(limiter), lib.retryInvocation({ quota }));
        call.subscribe({
          complete: () => {
            finished += 1;
            if (finished < calls) return next();
            const used = process.cpuUsage(cpu);
            done((used.user + used.system) / calls);
          },
        });
      };
      for (let i = 0; i < 16; i++) next();
    });
  await run(false); // warm-up: JIT
  await run(true);
  return { bare: await run(false), composed: await run(true) };
}

function main(): void {
  const args = process.argv.slice(2);
  const flag = (name: string, fallback: number): number => {
    const i = args.indexOf(name);
    return i === -1 ? fallback : Number(args.splice(i, 2)[1]);
  };
  const calls = flag('--calls', 100_000);
  const rounds = flag('--rounds', 5);
  if (args[0] === '--child') {
    void measure(resolve(args[1]!), calls).then((f) => process.stdout.write(JSON.stringify(f)));
    return;
  }
  const dirs = args.map((d) => resolve(d));
  if (dirs.length === 0) throw new Error('usage: operator-overhead.ts <dist/cjs> [<dist/cjs> …] [--calls N] [--rounds N]');
  const best = dirs.map(() => ({ bare: Infinity, composed: Infinity, added: Infinity }));
  for (let r = 0; r < rounds; r++) {
    dirs.forEach((dir, i) => {
      const out = execFileSync(process.execPath, [...process.execArgv, __filename, '--child', dir, '--calls', String(calls)], { encoding: 'utf8' });
      const f = JSON.parse(out) as Figures;
      const b = best[i]!;
      b.bare = Math.min(b.bare, f.bare);
      b.composed = Math.min(b.composed, f.composed);
      b.added = Math.min(b.added, f.composed - f.bare);
    });
  }
  console.log('| build | CPU µs / call, bare source | with retry+timeout+throttle | added by the operators | × first |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  dirs.forEach((dir, i) => {
    const b = best[i]!;
    console.log(`| ${dir} | ${b.bare.toFixed(2)} | ${b.composed.toFixed(2)} | ${b.added.toFixed(2)} | ${(b.added / best[0]!.added).toFixed(2)}× |`);
  });
  console.log(`(${calls} calls per measurement, 16 in flight, lowest of ${rounds} alternating rounds; load ${loadavg()[0]!.toFixed(1)})`);
}

if (require.main === module) main();
