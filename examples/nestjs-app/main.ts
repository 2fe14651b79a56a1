/**
 * Starts the Nest HTTP app. With `SAGEMAKER_ENDPOINT_URL` unset it starts an embedded emulator
 * first (a sentiment model as `reviews`, a token generator as `generator`), so it runs with no AWS
 * account:
 *
 *   npx tsx examples/nestjs-app/main.ts            # PORT=3000 by default; PORT=0 picks a free one
 *   curl -s localhost:3000/reviews/enrich -H 'content-type: application/json' \
 *     -d '{"records":[{"id":1,"text":"Great tent"},{"id":2,"text":"Awful, it broke"}]}'
 *   curl -N 'localhost:3000/generate?prompt=Tell+me+about+foxes'
 *   curl -s localhost:3000/health
 *
 * Against AWS: SAGEMAKER_ENDPOINT_URL=aws (the regional endpoint, the default credential chain)
 * with AWS_REGION, REVIEWS_ENDPOINT and GENERATOR_ENDPOINT. SIGINT/SIGTERM close the app, and the
 * SageMaker client is destroyed with it.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { AppModule } from './app.module.js';
import { settingsFromEnv } from './app-settings.js';

async function main(): Promise<void> {
  const settings = settingsFromEnv();
  let emulator: Emulator | undefined;
  if (settings.endpoint === 'aws') {
    delete settings.endpoint;
  } else if (settings.endpoint === undefined) {
    emulator = await startEmulator({
      endpoints: {
        reviews: { model: 'sentiment', faults: { failWhen: (req) => (req.body.includes('#model-crash') ? 'modelError' : undefined) } },
        generator: { model: 'text-generator', generator: { format: 'sse', tokensPerSecond: 20 } },
      },
    });
    Object.assign(settings, { endpoint: emulator.url, region: emulator.region, credentials: EMULATOR_CREDENTIALS });
    console.log(`emulator on ${emulator.url}`);
  }
  const app = await NestFactory.create(AppModule.register(settings), { logger: ['error', 'warn'] });
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  console.log(`listening on ${(await app.getUrl()).replace('[::1]', '127.0.0.1')}`);
  // Not app.enableShutdownHooks(): it re-raises the signal after closing, and this process also
  // owns the emulator, which must close after the app.
  const stop = async (signal: NodeJS.Signals) => {
    await app.close(); // SageMakerModule destroys the client
    await emulator?.close();
    console.log(`${signal}: app closed, SageMaker client destroyed`);
  };
  process.once('SIGTERM', (s) => void stop(s));
  process.once('SIGINT', (s) => void stop(s));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
