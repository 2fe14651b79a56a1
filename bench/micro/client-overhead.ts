/**
 * CPU cost of the library's own work per call, with no network: `invokeEndpoint$` bare and
 * under retry + timeout + throttle, over an in-process transport that answers 200 at once.
 * Given several compiled builds (`dist/cjs` folders), it runs them in alternation, each in
 * its own child process, and reports the lowest CPU µs per call of each — the figure least
 * disturbed by other load on the machine — and each build's ratio to the first.
 *
 *   npx tsx bench/micro/client-overhead.ts <dist/cjs> [<other dist/cjs> …] [--calls 20000] [--rounds 5]
 */
import { cpuMicrosPerCall, lowestOfAlternatingRounds, parseMicroArgs } from './cpu-per-call.js';

interface Figures {
  bare: number;
  composed: number;
}

async function measure(libDir: string, calls: number): Promise<Figures> {
  const lib = require(libDir) as Record<string, any>;
  const body = new Uint8Array(1024);
  const answer = new TextEncoder().encode('{"label":"POSITIVE"}');
  const transport = {
    send: async () => ({
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': 'r' },
      body: {
        bytes: async () => answer,
        async *[Symbol.asyncIterator]() {
          yield answer;
        },
      },
    }),
    destroy: async () => undefined,
  };
  const client = new lib.SageMakerRuntime({ region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, transport });
  const limiter = lib.createLimiter({ maxConcurrency: 64 });
  /** CPU µs per call over `calls` calls, 16 in flight. */
  const run = (composed: boolean): Promise<number> =>
    cpuMicrosPerCall(() => {
      const call = client.invokeEndpoint$({ EndpointName: 'reviews', Body: body, ContentType: 'application/json' });
      return composed ? call.pipe(lib.timeoutInvocation(5_000), lib.throttleInvocations(limiter), lib.retryInvocation({ quota: client.retryQuota })) : call;
    }, calls);
  await run(false); // warm-up: JIT, caches
  await run(true);
  return { bare: await run(false), composed: await run(true) };
}

function main(): void {
  const { dirs, calls, rounds, child } = parseMicroArgs(process.argv.slice(2), { calls: 20_000, rounds: 5 });
  if (child) {
    void measure(dirs[0]!, calls).then((f) => process.stdout.write(JSON.stringify(f)));
    return;
  }
  if (dirs.length === 0) throw new Error('usage: client-overhead.ts <dist/cjs> [<dist/cjs> …] [--calls N] [--rounds N]');
  const best = lowestOfAlternatingRounds<Figures>(__filename, dirs, calls, rounds);
  console.log('| build | CPU µs / call, bare | × first | CPU µs / call, retry+timeout+throttle | × first |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  dirs.forEach((dir, i) => {
    const b = best[i]!;
    console.log(`| ${dir} | ${b.bare.toFixed(1)} | ${(b.bare / best[0]!.bare).toFixed(2)}× | ${b.composed.toFixed(1)} | ${(b.composed / best[0]!.composed).toFixed(2)}× |`);
  });
  console.log(`(${calls} calls per measurement, 16 in flight, lowest of ${rounds} alternating rounds; load ${require('node:os').loadavg()[0].toFixed(1)})`);
}

main();
