/**
 * Stream an LLM's tokens as they are generated: `invokeEndpointWithResponseStream$` piped through
 * `textDeltas()`, with an idle timeout between chunks. Runs against the embedded emulator (a
 * `text-generator` endpoint sending server-sent events whose PayloadParts split every multi-byte
 * character), so it needs no AWS account:
 *
 *   npx tsx examples/stream-tokens.ts
 *
 * Then a second endpoint breaks mid-stream, to show the typed error event a caller gets after
 * HTTP 200. In your project, import from 'sagemaker-rx' and 'sagemaker-rx/emulator' instead of ../src.
 */
import { lastValueFrom, tap } from 'rxjs';
import { SageMakerRuntime, textDeltas, timeoutInvocation, type InvokeStreamEvent } from '../src/index.js';
import { EMULATOR_CREDENTIALS, startEmulator } from '../src/emulator/index.js';

async function main(): Promise<void> {
  const emulator = await startEmulator({
    endpoints: {
      llm: { model: 'text-generator', generator: { format: 'sse', tokensPerSecond: 25, splitAt: 'utf8-inside' } },
      'llm-flaky': {
        model: 'text-generator',
        generator: { tokensPerSecond: 25 },
        faults: { stream: { fault: 'ModelStreamError', afterChunks: 6, errorCode: 'ModelInvocationTimeExceeded' } },
      },
    },
  });
  const client = new SageMakerRuntime({ region: emulator.region, endpoint: emulator.url, credentials: EMULATOR_CREDENTIALS });

  const stream = (EndpointName: string) => {
    const startedAt = Date.now();
    let firstTokenMs: number | undefined;
    let texts = 0;
    return lastValueFrom(
      client
        .invokeEndpointWithResponseStream$({
          EndpointName,
          Body: JSON.stringify({ inputs: 'Tell me about foxes.', parameters: { max_new_tokens: 64 }, stream: true }),
          ContentType: 'application/json',
        })
        .pipe(
          timeoutInvocation<InvokeStreamEvent>({ idle: 5_000 }), // at most 5 s between two chunks
          textDeltas(), // TGI-style `data: {"token":{"text":…}}`, reassembled across PayloadParts
          tap((e) => {
            switch (e.type) {
              case 'headers':
                console.log(`[${EndpointName}] ${e.output.ContentType} from variant ${e.output.InvokedProductionVariant}`);
                break;
              case 'text':
                firstTokenMs ??= Date.now() - startedAt;
                texts += 1;
                process.stdout.write(e.text);
                break;
              case 'response':
                console.log(
                  `\n[${EndpointName}] done: ${texts} tokens in ${e.output.chunks} PayloadParts (${e.output.bytes} bytes), ` +
                    `first token after ${firstTokenMs} ms, ${Math.round(e.durationMs)} ms in all`,
                );
                break;
              case 'error':
                console.log(`\n[${EndpointName}] failed after ${texts} tokens: ${e.error.name}${'ErrorCode' in e.error ? ` (${String(e.error.ErrorCode)})` : ''}: ${e.error.message}`);
                break;
            }
          }),
        ),
    );
  };

  try {
    await stream('llm');
    await stream('llm-flaky');
  } finally {
    await client.destroy();
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
