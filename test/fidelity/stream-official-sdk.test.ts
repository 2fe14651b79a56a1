/**
 * Fidelity of the streaming and async operations: the official `@aws-sdk/client-sagemaker-runtime`
 * and this client, side by side against the same emulator, must see the same PayloadParts, the
 * same mid-stream errors (name, ErrorCode, message, after the same parts), the same async
 * output, and must put the same members on the wire.
 */
import {
  InvokeEndpointAsyncCommand,
  InvokeEndpointWithResponseStreamCommand,
  ModelStreamError as SdkModelStreamError,
  InternalStreamFailure as SdkInternalStreamFailure,
  SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { lastValueFrom, toArray } from 'rxjs';
import { SageMakerRuntime } from '../../src/client/sagemaker-runtime.js';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { InvokeAcceptedEvent, InvokeErrorEvent, InvokeStreamEvent } from '../../src/events/invoke-event.js';
import { InternalStreamFailure, ModelStreamError } from '../../src/errors/service-errors.js';
import type { InvokeEndpointAsyncInput, InvokeEndpointWithResponseStreamInput } from '../../src/model/shapes.js';

const hex = (parts: Uint8Array[]) => parts.map((p) => Buffer.from(p).toString('hex'));

/** What the official SDK sees of a stream: its parts and the error its iterator threw. */
async function viaSdk(sdk: SageMakerRuntimeClient, input: InvokeEndpointWithResponseStreamInput) {
  const out = await sdk.send(new InvokeEndpointWithResponseStreamCommand({ ...input, Body: typeof input.Body === 'string' ? new TextEncoder().encode(input.Body) : (input.Body as Uint8Array) }));
  const parts: Uint8Array[] = [];
  let error: (Error & { ErrorCode?: string }) | undefined;
  try {
    for await (const event of out.Body!) if (event.PayloadPart?.Bytes) parts.push(event.PayloadPart.Bytes);
  } catch (e) {
    error = e as Error;
  }
  return { parts, error, contentType: out.ContentType, variant: out.InvokedProductionVariant, customAttributes: out.CustomAttributes };
}

/** What this client sees of the same stream. */
async function viaOurs(client: SageMakerRuntime, input: InvokeEndpointWithResponseStreamInput) {
  const events: InvokeStreamEvent[] = await lastValueFrom(client.invokeEndpointWithResponseStream$(input).pipe(toArray()));
  const parts = events.flatMap((e) => (e.type === 'chunk' ? [e.bytes] : []));
  const headers = events.find((e) => e.type === 'headers');
  const error = events.find((e): e is InvokeErrorEvent => e.type === 'error')?.error;
  return { parts, error, events, output: headers?.type === 'headers' ? headers.output : undefined };
}

describe('streaming and async: this client and the official SDK against the same emulator', () => {
  let emu: Emulator;
  let sdk: SageMakerRuntimeClient;
  let client: SageMakerRuntime;

  beforeAll(async () => {
    emu = await startEmulator({
      endpoints: {
        generator: { model: 'text-generator', generator: { tokensPerSecond: 2000 } },
        components: { inferenceComponents: { comp: { model: 'text-generator' } }, generator: { tokensPerSecond: 2000 } },
        'gen-sse-utf8': { model: 'text-generator', generator: { format: 'sse', splitAt: 'utf8-inside', tokensPerSecond: 5000 } },
        'gen-random': { model: 'text-generator', generator: { splitAt: 'random', tokensPerSecond: 5000 } },
        custom: {
          model: () => ({ chunks: ['α', new Uint8Array([0, 255, 10]), 'ω\n'], contentType: 'application/x-custom', customAttributes: 'k=v' }),
          variant: 'green',
        },
        'fault-broken': { model: 'text-generator', generator: { tokensPerSecond: 2000 }, faults: { stream: { fault: 'ModelStreamError', afterChunks: 2, errorCode: 'StreamBroken' } } },
        'fault-time': { model: 'text-generator', generator: { tokensPerSecond: 2000 }, faults: { stream: { fault: 'ModelStreamError', afterChunks: 4 } } },
        'fault-internal': { model: 'text-generator', generator: { tokensPerSecond: 2000 }, faults: { stream: { fault: 'InternalStreamFailure', afterChunks: 1 } } },
        'fault-truncate': { model: 'text-generator', generator: { tokensPerSecond: 2000 }, faults: { stream: { fault: 'truncate', afterChunks: 3 } } },
        'async-ep': { model: 'echo' },
      },
    });
    sdk = new SageMakerRuntimeClient({ region: 'us-east-1', endpoint: emu.url, credentials: { ...EMULATOR_CREDENTIALS }, maxAttempts: 1 });
    client = new SageMakerRuntime({ region: 'us-east-1', endpoint: emu.url, credentials: EMULATOR_CREDENTIALS });
  });

  afterAll(async () => {
    sdk.destroy();
    await client.destroy();
    await emu.close();
  });

  beforeEach(() => emu.reset());

  it.each(['generator', 'gen-sse-utf8', 'gen-random', 'custom'])('decodes the same PayloadParts and output members (%s)', async (EndpointName) => {
    const input = { EndpointName, Body: '{"inputs":"hi"}', ContentType: 'application/json' };
    const theirs = await viaSdk(sdk, input);
    emu.reset(); // re-seeds the emulator's RNG, so 'random' splits cut both responses alike
    const ours = await viaOurs(client, input);
    expect(theirs.error).toBeUndefined();
    expect(ours.error).toBeUndefined();
    expect(ours.parts.length).toBeGreaterThan(0);
    expect(hex(ours.parts)).toEqual(hex(theirs.parts));
    const { $metadata: _m, ...members } = ours.output!;
    const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
    expect(members).toEqual(defined({ ContentType: theirs.contentType, InvokedProductionVariant: theirs.variant, CustomAttributes: theirs.customAttributes }));
    expect(members.ContentType).toBeDefined();
    expect(ours.events.at(-1)).toMatchObject({ type: 'response', output: { chunks: theirs.parts.length } });
  });

  it.each([
    ['fault-broken', 2, 'StreamBroken'],
    ['fault-time', 4, 'ModelInvocationTimeExceeded'],
  ])('both get ModelStreamError from an injected mid-stream error (%s), after the same parts', async (EndpointName, afterChunks, ErrorCode) => {
    const input = { EndpointName, Body: '{}' };
    const theirs = await viaSdk(sdk, input);
    const ours = await viaOurs(client, input);
    expect(theirs.error).toBeInstanceOf(SdkModelStreamError);
    expect(ours.error).toBeInstanceOf(ModelStreamError);
    expect(theirs.parts).toHaveLength(afterChunks);
    expect(hex(ours.parts)).toEqual(hex(theirs.parts));
    expect({ name: ours.error!.name, ErrorCode: (ours.error as ModelStreamError).ErrorCode, message: ours.error!.message }).toEqual({
      name: theirs.error!.name,
      ErrorCode: theirs.error!.ErrorCode,
      message: theirs.error!.message,
    });
    expect(ErrorCode).toBe(theirs.error!.ErrorCode);
  });

  it('both get InternalStreamFailure from an injected mid-stream failure', async () => {
    const theirs = await viaSdk(sdk, { EndpointName: 'fault-internal', Body: '{}' });
    const ours = await viaOurs(client, { EndpointName: 'fault-internal', Body: '{}' });
    expect(theirs.error).toBeInstanceOf(SdkInternalStreamFailure);
    expect(ours.error).toBeInstanceOf(InternalStreamFailure);
    expect(ours.error!.message).toBe(theirs.error!.message);
    expect(hex(ours.parts)).toEqual(hex(theirs.parts));
  });

  it('both fail on a body that ends inside a frame, after the same parts', async () => {
    const theirs = await viaSdk(sdk, { EndpointName: 'fault-truncate', Body: '{}' });
    const ours = await viaOurs(client, { EndpointName: 'fault-truncate', Body: '{}' });
    expect(theirs.error?.message).toBe('Truncated event message received.');
    expect(ours.error?.message).toMatch(/^truncated event stream/);
    expect(theirs.parts).toHaveLength(3);
    expect(hex(ours.parts)).toEqual(hex(theirs.parts));
  });

  it('puts the same streaming members on the wire as the official SDK', async () => {
    const input = {
      EndpointName: 'components',
      Body: '{"inputs":"x"}',
      ContentType: 'application/json',
      Accept: 'application/jsonlines',
      CustomAttributes: 'a=1',
      TargetVariant: 'AllTraffic',
      InferenceId: 'same-id',
      InferenceComponentName: 'comp',
      SessionId: 'sess-1',
    };
    await viaSdk(sdk, input);
    await viaOurs(client, input);
    const [theirs, ours] = emu.requests;
    const members = (h: Record<string, string>) =>
      Object.fromEntries(Object.entries(h).filter(([k]) => k === 'content-type' || k === 'accept' || k.startsWith('x-amzn-sagemaker-')));
    expect(members(ours!.headers)).toEqual(members(theirs!.headers));
    expect(ours!.path).toBe(theirs!.path);
    expect(ours!.body.equals(theirs!.body)).toBe(true);
  });

  it.each<[string, InvokeEndpointAsyncInput]>([
    ['an InputLocation and every option', { EndpointName: 'async-ep', InputLocation: 's3://in/k.json', InferenceId: 'inf-7', ContentType: 'application/json', Accept: 'text/csv', RequestTTLSeconds: 120, InvocationTimeoutSeconds: 60, Filename: 'out.json', S3OutputPathExtension: 'runs/1' }],
    ['an inline Body', { EndpointName: 'async-ep', Body: '{"inputs":"größe"}', InferenceId: 'inf-8', ContentType: 'application/json' }],
  ])('InvokeEndpointAsyncCommand and invokeEndpointAsync$ get the same InferenceId and locations (%s)', async (_case, input) => {
    const theirs = await sdk.send(new InvokeEndpointAsyncCommand({ ...input, Body: typeof input.Body === 'string' ? new TextEncoder().encode(input.Body) : undefined } as never));
    const events = await lastValueFrom(client.invokeEndpointAsync$(input).pipe(toArray()));
    expect(events.map((e) => e.type)).toEqual(['sent', 'accepted']);
    const ours = (events[1] as InvokeAcceptedEvent).output;
    expect({ InferenceId: ours.InferenceId, OutputLocation: ours.OutputLocation, FailureLocation: ours.FailureLocation }).toEqual({
      InferenceId: theirs.InferenceId,
      OutputLocation: theirs.OutputLocation,
      FailureLocation: theirs.FailureLocation,
    });
    expect(ours.InferenceId).toBe(input.InferenceId);
    expect(ours.$metadata.httpStatusCode).toBe(theirs.$metadata.httpStatusCode);
    const [sdkRequest, ourRequest] = emu.requests;
    const members = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).filter(([k]) => k.startsWith('x-amzn-sagemaker-')));
    expect(members(ourRequest!.headers)).toEqual(members(sdkRequest!.headers));
    if (input.Body !== undefined) expect(ourRequest!.body.equals(sdkRequest!.body)).toBe(true);
  });
});
