/**
 * Async inference end to end over real sockets: invokeEndpointAsync$ → 202 → waitForAsyncResult$
 * polling the emulator's S3 store with GetObject signed for service `s3` → the model's output read
 * back, or a failing model's failure object as an AsyncInferenceError.
 */
import { lastValueFrom, take, toArray } from 'rxjs';
import { SageMakerRuntime } from '../../src/client/sagemaker-runtime.js';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { AsyncInferenceError } from '../../src/errors/async-inference-error.js';
import { isPollEvent, isResultEvent, type AsyncResultEvent, type InvokeResultEvent } from '../../src/events/async-result-event.js';
import type { InvokeAcceptedEvent, InvokeErrorEvent } from '../../src/events/invoke-event.js';
import { waitForAsyncResult$ } from '../../src/index.js';

describe('invokeEndpointAsync$ → waitForAsyncResult$ against the emulator', () => {
  let emu: Emulator;
  let client: SageMakerRuntime;
  let release: (() => void) | undefined;

  beforeAll(async () => {
    emu = await startEmulator({
      endpoints: {
        upper: { model: (req) => ({ body: req.body.toString().toUpperCase(), contentType: 'text/x-upper' }) },
        gated: {
          model: async (req) => {
            await new Promise<void>((resolve) => (release = resolve));
            return { body: `finished ${req.body.toString()}`, contentType: 'text/plain' };
          },
        },
        refusing: { model: () => ({ status: 422, body: '{"error":"cannot score this"}', contentType: 'application/json' }) },
        slow: { model: 'echo', faults: { latencyMs: 5_000 } },
      },
    });
    client = new SageMakerRuntime({ region: 'us-east-1', endpoint: emu.url, credentials: EMULATOR_CREDENTIALS });
  });

  afterAll(async () => {
    await client.destroy();
    await emu.close();
  });

  beforeEach(() => emu.reset());

  async function accept(EndpointName: string, Body: string): Promise<InvokeAcceptedEvent> {
    const events = await lastValueFrom(client.invokeEndpointAsync$({ EndpointName, Body, ContentType: 'text/plain' }).pipe(toArray()));
    const last = events.at(-1)!;
    expect(last.type).toBe('accepted');
    return last as InvokeAcceptedEvent;
  }

  const wait = (accepted: InvokeAcceptedEvent, pollIntervalMs = 20, timeoutMs = 5_000) =>
    lastValueFrom(client.waitForAsyncResult$(accepted, { pollIntervalMs, timeoutMs }).pipe(toArray()));

  it('reads back the model output: polls while it runs, then one result event with the bytes and content type', async () => {
    const accepted = await accept('gated', 'job');
    const events: AsyncResultEvent[] = [];
    const done = new Promise<void>((resolve) => client.waitForAsyncResult$(accepted, { pollIntervalMs: 20, timeoutMs: 5_000 }).subscribe({ next: (e) => events.push(e), complete: resolve }));
    await emu.waitForRequest((r) => r.operation === 'GetObject' && r.status === 404);
    release!();
    await done;
    const polls = events.filter(isPollEvent);
    expect(polls.length).toBeGreaterThanOrEqual(1);
    expect(polls.map((p) => p.attempt)).toEqual(polls.map((_, i) => i + 1));
    expect(polls[0]).toMatchObject({ OutputLocation: accepted.output.OutputLocation, FailureLocation: accepted.output.FailureLocation });
    const last = events.at(-1)!;
    expect(isResultEvent(last)).toBe(true);
    const { output } = last as InvokeResultEvent;
    expect(new TextDecoder().decode(output.Body)).toBe('finished job');
    expect(output).toMatchObject({ ContentType: 'text/plain', InferenceId: accepted.output.InferenceId, OutputLocation: accepted.output.OutputLocation, $metadata: { httpStatusCode: 200 } });
    // Every read was a GetObject signed for service s3 with the client's key.
    const reads = emu.requests.filter((r) => r.operation === 'GetObject');
    expect(reads.length).toBeGreaterThanOrEqual(2);
    for (const r of reads) expect(r.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEMULATOR\/\d{8}\/us-east-1\/s3\/aws4_request, /);
    expect(output.$metadata.requestId).toBe(reads.at(-1)!.id);
  });

  it('ends a failing model with an AsyncInferenceError carrying the failure object byte for byte', async () => {
    const accepted = await accept('refusing', 'x');
    const events = await wait(accepted);
    const last = events.at(-1) as InvokeErrorEvent;
    expect(last.type).toBe('error');
    const error = last.error as AsyncInferenceError;
    expect(error).toMatchObject({ name: 'AsyncInferenceError', retryable: false, FailureLocation: accepted.output.FailureLocation, InferenceId: accepted.output.InferenceId, ContentType: 'application/json' });
    expect(new TextDecoder().decode(error.failure)).toBe('{"error":"cannot score this"}');
    expect(error.message).toContain('cannot score this');
  });

  it('gives up with a TimeoutError (phase total) when nothing is written in time', async () => {
    const accepted = await accept('slow', 'x');
    const events = await wait(accepted, 30, 300);
    const last = events.at(-1) as InvokeErrorEvent;
    expect(last.error).toMatchObject({ name: 'TimeoutError', phase: 'total', ms: 300, retryable: false });
    // How many rounds fit depends on the machine; each came before the deadline, numbered in order.
    const polls = events.filter(isPollEvent);
    expect(polls.map((p) => p.attempt)).toEqual(polls.map((_, i) => i + 1));
    for (const p of polls) expect(p.elapsedMs).toBeLessThan(300);
    expect(last.attempt).toBe(polls.length + 1);
  });

  it('reports S3 refusing the key as an error event named by the S3 code', async () => {
    const accepted = await accept('upper', 'x');
    await emu.waitForRequest((r) => r.asyncOutcome === 'output');
    const stranger = new SageMakerRuntime({ region: 'us-east-1', endpoint: emu.url, credentials: { accessKeyId: 'AKIDSTRANGER', secretAccessKey: 'x' } });
    try {
      const events = await lastValueFrom(stranger.waitForAsyncResult$(accepted, { pollIntervalMs: 20 }).pipe(toArray()));
      expect(events).toHaveLength(1);
      expect((events[0] as InvokeErrorEvent).error).toMatchObject({ name: 'InvalidAccessKeyId', $metadata: { httpStatusCode: 403 } });
    } finally {
      await stranger.destroy();
    }
  });

  it('works without a client too: the standalone waitForAsyncResult$ with its own S3 options and transport', async () => {
    const accepted = await accept('upper', 'standalone');
    const events = await lastValueFrom(
      waitForAsyncResult$(accepted.output, { s3: { region: 'us-east-1', endpoint: emu.url, credentials: EMULATOR_CREDENTIALS }, pollIntervalMs: 20, timeoutMs: 5_000 }).pipe(toArray()),
    );
    const last = events.at(-1) as InvokeResultEvent;
    expect(last.type).toBe('result');
    expect(new TextDecoder().decode(last.output.Body)).toBe('STANDALONE');
    expect(last.output.ContentType).toBe('text/x-upper');
  });

  it('names the member when a location is not an s3 URI, sending nothing', async () => {
    const events = await lastValueFrom(client.waitForAsyncResult$({ OutputLocation: 'https://example.com/x' }).pipe(toArray()));
    expect((events[0] as InvokeErrorEvent).error).toMatchObject({ name: 'InvalidRequestError', member: 'OutputLocation' });
    expect(emu.requests).toHaveLength(0);
  });

  it('stops polling when unsubscribed', async () => {
    const accepted = await accept('slow', 'x');
    await lastValueFrom(client.waitForAsyncResult$(accepted, { pollIntervalMs: 20 }).pipe(take(2)));
    const reads = emu.requests.filter((r) => r.operation === 'GetObject').length;
    await new Promise((r) => setTimeout(r, 150));
    expect(emu.requests.filter((r) => r.operation === 'GetObject').length).toBe(reads);
  });
});
