/**
 * One invocation, two ways: the cold Observable of lifecycle events, and the Promise twin.
 * Runs against the embedded emulator, so it needs no AWS account:
 *
 *   npx tsx examples/quickstart.ts
 *
 * Against AWS, drop the emulator and write `new SageMakerRuntime({ region: 'eu-west-1' })`
 * (credentials from the default chain). In your project, import from 'sagemaker-rx'.
 */
import { lastValueFrom, tap } from 'rxjs';
import { output, retryInvocation, SageMakerRuntime, timeoutInvocation } from '../src/index.js';
import { EMULATOR_CREDENTIALS, startEmulator } from '../src/emulator/index.js';

async function main(): Promise<void> {
  const emulator = await startEmulator(); // endpoints: echo, sentiment, generator
  const client = new SageMakerRuntime({ region: emulator.region, endpoint: emulator.url, credentials: EMULATOR_CREDENTIALS });
  try {
    const input = { EndpointName: 'sentiment', Body: JSON.stringify({ text: 'I love it, excellent value' }), ContentType: 'application/json' };

    // Cold: nothing is sent until subscription. Each event says where the call is.
    const answer = await lastValueFrom(
      client.invokeEndpoint$(input).pipe(
        timeoutInvocation(5_000), // each attempt
        retryInvocation({ maxAttempts: 3, quota: client.retryQuota }),
        tap((event) => console.log(event.type, `attempt ${event.attempt}`)), // sent, then response (or retry/error)
        output(), // the plain InvokeEndpointOutput, or the typed error thrown
      ),
    );
    console.log(Buffer.from(answer.Body).toString('utf8'), answer.$metadata);

    // The Promise twin, for code that awaits.
    const again = await client.invokeEndpoint({ ...input, Body: JSON.stringify({ text: 'awful, it broke' }) });
    console.log(Buffer.from(again.Body).toString('utf8'));
  } finally {
    await client.destroy();
    await emulator.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
