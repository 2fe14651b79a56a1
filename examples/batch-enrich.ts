/**
 * The same enrichment with `batchInvocations`: records packed 16 to an invocation as JSON Lines,
 * each record handed its own answer back, retries, and an adaptive limiter that slows down when
 * the endpoint throttles. Runs against the embedded emulator, whose `reviews` endpoint throttles
 * above 30 requests per second and fails 3 % of requests with a 503:
 *
 *   npx tsx examples/batch-enrich.ts
 *
 * In your project, import from 'sagemaker-rx' and 'sagemaker-rx/emulator' instead of ../src.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { from, lastValueFrom, toArray } from 'rxjs';
import { batchInvocations, createLimiter, isInvocationSuccess, SageMakerRuntime } from '../src/index.js';
import { EMULATOR_CREDENTIALS, startEmulator } from '../src/emulator/index.js';

interface Review {
  id: string;
  rating: number;
  text: string;
}

interface Sentiment {
  label: 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL';
  score: number;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({
    endpoints: {
      reviews: { model: 'sentiment', faults: { latencyMs: 5, jitterMs: 10, maxRatePerSecond: 30, serverErrorRate: 0.03, serverErrorStatus: 503 } },
    },
  });
  const client = new SageMakerRuntime({ region: emulator.region, endpoint: emulator.url, credentials: EMULATOR_CREDENTIALS });
  const limiter = createLimiter({ adaptive: true });
  try {
    const reviews = readFileSync(join(__dirname, 'data', 'reviews.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Review);

    const started = Date.now();
    const results = await lastValueFrom(
      from(reviews).pipe(
        batchInvocations<Review, Sentiment>(client, {
          endpointName: 'reviews',
          codec: 'jsonl', // one {"id","rating","text"} per line in, one {"label","score"} per line out
          maxBatchSize: 16,
          maxWaitMs: 20,
          concurrency: 4,
          ordered: true,
          retry: { maxAttempts: 8 },
          limiter,
        }),
        toArray(),
      ),
    );

    const seconds = (Date.now() - started) / 1000;
    const failed = results.filter((r) => !isInvocationSuccess(r));
    const agree = results.filter(
      (r) => isInvocationSuccess(r) && ((r.item.rating >= 4 && r.output.label === 'POSITIVE') || (r.item.rating <= 2 && r.output.label === 'NEGATIVE')),
    ).length;
    const first = results[0]!;
    console.log('first result:', JSON.stringify({ id: first.item.id, batch: first.batch, output: first.output }));
    console.log(
      `${results.length} of ${reviews.length} reviews answered in ${seconds.toFixed(1)} s, ${failed.length} failed;`,
      `${new Set(results.map((r) => r.batch.id)).size} batches, ${emulator.requests.length} requests,`,
      `${emulator.endpointStats('reviews').throttled} throttled; ${agree} labels agree with the stars;`,
      `limiter now at ${limiter.state().ratePerSecond?.toFixed(1) ?? 'no'} requests/s`,
    );
  } finally {
    await client.destroy();
    await emulator.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
