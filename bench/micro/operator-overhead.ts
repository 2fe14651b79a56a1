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
import { loadavg } from 'node:os';
import { cpuMicrosPerCall, lowestOfAlternatingRounds, parseMicroArgs } from './cpu-per-call.js';

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
  const run = (composed: boolean): Promise<number> =>
    cpuMicrosPerCall(() => (composed ? source.pipe(lib.timeoutInvocation(5_000), lib.throttleInvocations(limiter), lib.retryInvocation({ quota })) : source), calls);
  await run(false); // warm-up: JIT
  await run(true);
  return { bare: await run(false), composed: await run(true) };
}

function main(): void {
  const { dirs, calls, rounds, child } = parseMicroArgs(process.argv.slice(2), { calls: 100_000, rounds: 5 });
  if (child) {
    void measure(dirs[0]!, calls).then((f) => process.stdout.write(JSON.stringify({ ...f, added: f.composed - f.bare })));
    return;
  }
  if (dirs.length === 0) throw new Error('usage: operator-overhead.ts <dist/cjs> [<dist/cjs> …] [--calls N] [--rounds N]');
  const best = lowestOfAlternatingRounds<Figures & { added: number }>(__filename, dirs, calls, rounds);
  console.log('| build | CPU µs / call, bare source | with retry+timeout+throttle | added by the operators | × first |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  dirs.forEach((dir, i) => {
    const b = best[i]!;
    console.log(`| ${dir} | ${b.bare.toFixed(2)} | ${b.composed.toFixed(2)} | ${b.added.toFixed(2)} | ${(b.added / best[0]!.added).toFixed(2)}× |`);
  });
  console.log(`(${calls} calls per measurement, 16 in flight, lowest of ${rounds} alternating rounds; load ${loadavg()[0]!.toFixed(1)})`);
}

if (require.main === module) main();
