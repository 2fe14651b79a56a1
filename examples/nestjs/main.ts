/**
 * The NestJS module: `SageMakerModule.forRootAsync` provides a `SageMakerRuntime` configured from
 * the application's settings, a `ReviewsService` scores reviews with it, and `app.close()` destroys
 * the client; then `SageMakerModule.forRoot` with the configuration inline. Runs against the embedded emulator, so it needs no AWS account:
 *
 *   npx tsx examples/nestjs/main.ts
 *
 * Against AWS, drop the emulator, `endpoint` and `credentials` from the settings (credentials then
 * come from the default chain). In your project, import from 'sagemaker-rx' instead of ../../src.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { isInvocationSuccess, isModelError, type SageMakerRuntime } from '../../src/index.js';
import { EMULATOR_CREDENTIALS, startEmulator } from '../../src/emulator/index.js';
import { AppModule } from './app.module.js';
import { ReviewsService, type Review } from './reviews.service.js';
import { SAGEMAKER_RUNTIME } from './sagemaker.constants.js';
import { SageMakerModule } from './sagemaker.module.js';

// A text the emulator's model fails on, to show a per-record failure.
const POISON = '#model-crash';

async function main(): Promise<void> {
  const emulator = await startEmulator({
    endpoints: {
      echo: { model: 'echo' },
      reviews: {
        model: 'sentiment',
        faults: {
          latencyMs: 5,
          jitterMs: 10,
          serverErrorRate: 0.05, // retried by the service's operators
          serverErrorStatus: 503,
          failWhen: (req) => (req.body.includes(POISON) ? 'modelError' : undefined), // a 424 ModelError, not retried
        },
      },
    },
  });
  try {
    const app = await NestFactory.createApplicationContext(
      AppModule.register({
        region: emulator.region,
        endpoint: emulator.url,
        credentials: EMULATOR_CREDENTIALS,
        reviewsEndpointName: 'reviews',
        attemptTimeoutMs: 2_000,
      }),
      { logger: false },
    );
    const client = app.get<SageMakerRuntime>(SAGEMAKER_RUNTIME);
    try {
      const reviews = app.get(ReviewsService);

      // One text: the Observable a controller would return.
      const one = await firstValueFrom(reviews.classify$('Great tent, sturdy and easy to pitch. I love it.'));
      console.log(`classify$: ${one.label} (${one.score})`);

      // A failure reaches the caller as the typed error (Nest's exception filters would map it).
      await firstValueFrom(reviews.classify$(`Anything ${POISON}`)).catch((error: unknown) => {
        if (!isModelError(error)) throw error;
        console.log(`classify$ failed: ${error.name}, OriginalStatusCode ${error.OriginalStatusCode}, not retried`);
      });

      // A batch of records: one result per record, in order; the poisoned one fails alone.
      const batch: Review[] = readFileSync(join(__dirname, '..', 'data', 'reviews.jsonl'), 'utf8')
        .split('\n')
        .slice(0, 12)
        .map((line) => JSON.parse(line) as Review);
      batch.splice(6, 0, { id: 'r-poison', rating: 3, text: `This record breaks the model ${POISON}` });
      const results = await lastValueFrom(reviews.classifyMany$(batch).pipe(toArray()));
      for (const r of results) {
        const answer = isInvocationSuccess(r) ? `${JSON.parse(Buffer.from(r.output.Body).toString('utf8')).label}` : `failed: ${r.error.name}`;
        console.log(`  ${r.item.id.padEnd(8)} ${'*'.repeat(r.item.rating).padEnd(5)} ${answer}`);
      }
      const answered = results.filter(isInvocationSuccess).length;
      console.log(
        `classifyMany$: ${results.length} results, ${answered} answered, ${results.length - answered} failed;`,
        `${emulator.requests.length} requests in all (retries included)`,
      );
    } finally {
      await app.close(); // SageMakerModule.onModuleDestroy → client.destroy()
    }

    // The client went with the application: its connection pool is closed.
    const after = await client
      .invokeEndpoint({ EndpointName: 'reviews', Body: JSON.stringify({ text: 'still there?' }), ContentType: 'application/json' })
      .then(
        () => 'the client is still open: a call answered',
        (error: { name: string; code?: string }) => `the client is destroyed: a call fails with ${error.name}${error.code ? ` (${error.code})` : ''}`,
      );
    console.log(`after app.close(): ${after}`);

    // forRoot: the configuration inline, for when it is known up front.
    const small = await NestFactory.createApplicationContext(
      SageMakerModule.forRoot({ region: emulator.region, endpoint: emulator.url, credentials: EMULATOR_CREDENTIALS }),
      { logger: false },
    );
    try {
      const echoed = await small.get<SageMakerRuntime>(SAGEMAKER_RUNTIME).invokeEndpoint({ EndpointName: 'echo', Body: 'hello from forRoot' });
      console.log(`forRoot: echo answered "${Buffer.from(echoed.Body).toString('utf8')}"`);
    } finally {
      await small.close();
    }
  } finally {
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
