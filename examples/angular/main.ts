/**
 * The Angular service in Node: an environment injector with `provideSageMaker(...)` (the fetch
 * transport, as in a browser), `score$` consumed by a subscription and by `toSignal`, the
 * service's signals, cancellation when a "component" is destroyed mid-request, and the client
 * destroyed with the injector. Runs against the embedded emulator, so it needs no AWS account:
 *
 *   npx tsx examples/angular/main.ts
 *
 * Angular is used in JIT mode without a browser platform: `createEnvironmentInjector` stands in for
 * `bootstrapApplication`, and a child injector stands in for a component's.
 */
import '@angular/compiler'; // JIT: compiles the decorators at run time (an Angular CLI build does it ahead of time)
import { createEnvironmentInjector, Injector, type EnvironmentInjector } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { firstValueFrom, forkJoin, lastValueFrom } from 'rxjs';
import { isModelError } from '../../src/index.js';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { provideSageMaker } from './provide-sagemaker.js';
import { SageMakerService } from './sagemaker.service.js';

// A text the emulator's model fails on, to show `lastError`.
const POISON = '#model-crash';

/** Resolves once `condition()` holds; in an app, change detection re-reads the signals instead. */
async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`until: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function main(): Promise<void> {
  const emulator = await startEmulator({
    endpoints: {
      reviews: {
        model: 'sentiment',
        faults: { latencyMs: 20, failWhen: (req) => (req.body.includes(POISON) ? 'modelError' : undefined) },
      },
    },
  });
  try {
    // The application's injector: in a browser app, bootstrapApplication creates it from the providers.
    const app = createEnvironmentInjector(
      [provideSageMaker({ region: emulator.region, endpoint: emulator.url, credentials: EMULATOR_CREDENTIALS, endpointName: 'reviews' })],
      Injector.NULL as EnvironmentInjector, // the top of the tree (under bootstrapApplication: the platform's injector)
      'app',
    );
    const sagemaker = app.get(SageMakerService);
    try {
      await demo(sagemaker, app, emulator);
    } finally {
      app.destroy(); // DestroyRef.onDestroy → client.destroy()
    }

    // The client went with the injector: the service can no longer send.
    const after = await firstValueFrom(sagemaker.score$('still there?')).then(
      () => 'the client is still open: a call answered',
      (error: { name: string; code?: string }) => `the client is destroyed: score$ fails with ${error.name}${error.code ? ` (${error.code})` : ''}`,
    );
    console.log(`after app.destroy(): ${after}`);
  } finally {
    await emulator.close();
  }
}

async function demo(sagemaker: SageMakerService, app: EnvironmentInjector, emulator: Emulator): Promise<void> {
  // Subscriptions, as the async pipe makes them: three calls in flight, the signals follow.
  const texts = ['I love it, excellent value', 'Awful. It broke after a week', 'It is a lamp'];
  const scores = lastValueFrom(forkJoin(texts.map((text) => sagemaker.score$(text))));
  console.log(`subscribed to ${texts.length}: pending() = ${sagemaker.pending()}, busy() = ${sagemaker.busy()}`);
  for (const [i, s] of (await scores).entries()) console.log(`  "${texts[i]}" → ${s.label} (${s.score})`);
  console.log(`answered: pending() = ${sagemaker.pending()}, busy() = ${sagemaker.busy()}, lastScore() = ${JSON.stringify(sagemaker.lastScore())}`);
  console.log(`sent through the fetch transport: user-agent "${emulator.requests[0]?.headers['user-agent']}"`);

  // A failure: the Observable errors with the typed error, and lastError() holds it.
  await firstValueFrom(sagemaker.score$(`Anything ${POISON}`)).catch(() => undefined);
  const failure = sagemaker.lastError();
  console.log(`failed: lastError() = ${failure?.name}${isModelError(failure) ? ` (OriginalStatusCode ${failure.OriginalStatusCode})` : ''}`);

  // toSignal, as a component would use it: the signal is undefined until the answer arrives.
  const card = createEnvironmentInjector([], app, 'ReviewCard');
  const score = toSignal(sagemaker.score$('Sturdy, comfortable and easy to set up'), { injector: card });
  console.log(`toSignal: score() = ${JSON.stringify(score())} while pending() = ${sagemaker.pending()}`);
  await until(() => sagemaker.pending() === 0);
  console.log(`toSignal: score() = ${JSON.stringify(score())}`);
  card.destroy();

  // Cancellation: the endpoint now takes 30 s; the component is destroyed while it is waiting.
  emulator.setEndpoint('reviews', { model: 'sentiment', faults: { latencyMs: 30_000 } });
  const slowCard = createEnvironmentInjector([], app, 'SlowReviewCard');
  const slowScore = toSignal(sagemaker.score$('Will anyone ever answer?'), { injector: slowCard });
  const held = await emulator.waitForRequest((r) => r.body.includes('ever answer'));
  console.log(`slow call in flight: score() = ${JSON.stringify(slowScore())}, pending() = ${sagemaker.pending()}`);
  slowCard.destroy(); // toSignal unsubscribes → the fetch is aborted
  const closed = await emulator.waitForRequest((r) => r.id === held.id && r.closedByClient);
  console.log(
    `component destroyed: the emulator saw the request closedByClient = ${closed.closedByClient},`,
    `${closed.status === undefined ? 'nothing answered' : `answered ${closed.status}`}; pending() = ${sagemaker.pending()}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
