/**
 * Enrich a stream of records with `invokeEach`: one invocation per record, 8 in flight, results in
 * input order, retries on throttling and 5xx, a deadline per attempt. Runs against the embedded
 * emulator (a `sentiment` endpoint with latency and a few 503s), so it needs no AWS account:
 *
 *   npx tsx examples/enrich-stream.ts
 *
 * In your project, import from 'sagemaker-rx' and 'sagemaker-rx/emulator' instead of ../src.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { from, lastValueFrom, map, take, tap, toArray } from 'rxjs';
import { invokeEach, isInvocationSuccess, SageMakerRuntime } from '../src/index.js';
import { EMULATOR_CREDENTIALS, startEmulator } from '../src/emulator/index.js';

interface Review {
  id: string;
  product: string;
  rating: number;
  text: string;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({
    endpoints: { reviews: { model: 'sentiment', faults: { latencyMs: 5, jitterMs: 10, serverErrorRate: 0.05, serverErrorStatus: 503 } } },
  });
  const client = new SageMakerRuntime({ region: emulator.region, endpoint: emulator.url, credentials: EMULATOR_CREDENTIALS });
  try {
    // A stream of records: the lines of a JSON Lines file, parsed one by one.
    const lines = createInterface({ input: createReadStream(join(__dirname, 'data', 'reviews.jsonl')), crlfDelay: Infinity });
    const reviews$ = from(lines).pipe(
      take(200),
      map((line) => JSON.parse(line) as Review),
    );

    const enriched = await lastValueFrom(
      reviews$.pipe(
        invokeEach(
          client,
          (review) => ({ EndpointName: 'reviews', Body: JSON.stringify({ text: review.text }), ContentType: 'application/json' }),
          { concurrency: 8, ordered: true, retry: { maxAttempts: 5 }, timeout: 5_000 },
        ),
        // One result per record: its answer, or the typed error it ended with.
        map((result) =>
          isInvocationSuccess(result)
            ? { ...result.item, sentiment: JSON.parse(Buffer.from(result.output.Body).toString('utf8')) as { label: string; score: number } }
            : { ...result.item, error: result.error.name },
        ),
        tap((record) => {
          if (Number(record.id.slice(2)) <= 3) console.log(JSON.stringify(record));
        }),
        toArray(),
      ),
    );

    const labels = new Map<string, number>();
    for (const r of enriched) {
      const label = 'sentiment' in r ? r.sentiment.label : `failed: ${r.error}`;
      labels.set(label, (labels.get(label) ?? 0) + 1);
    }
    console.log(`${enriched.length} reviews enriched, ${emulator.requests.length} requests (retries included):`, Object.fromEntries(labels));
  } finally {
    await client.destroy();
    await emulator.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
