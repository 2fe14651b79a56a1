/**
 * Each InvokeEndpointAsync validation rule through client.invokeEndpointAsync$:
 * a broken rule gives one `error` event with an InvalidRequestError naming the member and the
 * rule, and the transport is never called; the values at the edges of each range are sent.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { SageMakerRuntime } from '../../src/client/sagemaker-runtime.js';
import { InvalidRequestError } from '../../src/errors/client-errors.js';
import type { InvokeAcceptedEvent, InvokeErrorEvent } from '../../src/events/invoke-event.js';
import type { InvokeEndpointAsyncInput } from '../../src/model/shapes.js';
import type { Transport, TransportRequest, TransportResponse } from '../../src/transport/transport.js';

/** A transport that records what it is asked to send and answers like the service (202). */
function recordingTransport(): Transport & { sent: TransportRequest[] } {
  const sent: TransportRequest[] = [];
  const body = new TextEncoder().encode('{"InferenceId":"inf-202"}');
  return {
    sent,
    async send(request): Promise<TransportResponse> {
      sent.push(request);
      return {
        statusCode: 202,
        headers: { 'x-amzn-requestid': 'req-1', 'x-amzn-sagemaker-outputlocation': 's3://b/out', 'x-amzn-sagemaker-failurelocation': 's3://b/fail' },
        body: {
          bytes: async () => body,
          async *[Symbol.asyncIterator]() {
            yield body;
          },
        },
      };
    },
    async destroy() {},
  };
}

const BASE: InvokeEndpointAsyncInput = { EndpointName: 'async-ep', InputLocation: 's3://bucket/input.json' };

describe('invokeEndpointAsync$ validates every rule before any I/O', () => {
  let transport: ReturnType<typeof recordingTransport>;
  let client: SageMakerRuntime;
  beforeEach(() => {
    transport = recordingTransport();
    client = new SageMakerRuntime({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, transport });
  });

  const run = (patch: Partial<Record<keyof InvokeEndpointAsyncInput | 'TargetModel', unknown>>) =>
    lastValueFrom(client.invokeEndpointAsync$({ ...BASE, ...patch } as InvokeEndpointAsyncInput).pipe(toArray()));

  const invalid: Array<[string, Partial<Record<string, unknown>>, string, RegExp]> = [
    ['Body and InputLocation together', { Body: '{}' }, 'InputLocation', /must not be given together with Body/],
    ['neither Body nor InputLocation', { InputLocation: undefined }, 'Body', /is required when InputLocation is not given/],
    ['an inline Body over 128,000 bytes', { InputLocation: undefined, Body: new Uint8Array(128_001) }, 'Body', /at most 128000 bytes/],
    ['an inline string Body over 128,000 UTF-8 bytes', { InputLocation: undefined, Body: 'é'.repeat(64_001) }, 'Body', /at most 128000 bytes/],
    ['a Body of the wrong type', { InputLocation: undefined, Body: 42 }, 'Body', /must be a string, Uint8Array/],
    ['RequestTTLSeconds below 60', { RequestTTLSeconds: 59 }, 'RequestTTLSeconds', /integer from 60 to 21600/],
    ['RequestTTLSeconds above 21600', { RequestTTLSeconds: 21_601 }, 'RequestTTLSeconds', /integer from 60 to 21600/],
    ['RequestTTLSeconds not an integer', { RequestTTLSeconds: 60.5 }, 'RequestTTLSeconds', /integer from 60 to 21600/],
    ['RequestTTLSeconds as a string', { RequestTTLSeconds: '600' }, 'RequestTTLSeconds', /integer from 60 to 21600/],
    ['InvocationTimeoutSeconds below 1', { InvocationTimeoutSeconds: 0 }, 'InvocationTimeoutSeconds', /integer from 1 to 3600/],
    ['InvocationTimeoutSeconds above 3600', { InvocationTimeoutSeconds: 3_601 }, 'InvocationTimeoutSeconds', /integer from 1 to 3600/],
    ['a Filename with two dots', { Filename: 'a.b.c' }, 'Filename', /must match/],
    ['a Filename starting with a dot', { Filename: '.hidden' }, 'Filename', /must match/],
    ['an empty Filename', { Filename: '' }, 'Filename', /at least 1 character/],
    ['a Filename over 32 characters', { Filename: 'f'.repeat(33) }, 'Filename', /at most 32 characters/],
    ['an S3OutputPathExtension that is an s3: URI', { S3OutputPathExtension: 's3://bucket/x' }, 'S3OutputPathExtension', /must match/],
    ['an S3OutputPathExtension that is an https: URI', { S3OutputPathExtension: 'https://x' }, 'S3OutputPathExtension', /must match/],
    ['an S3OutputPathExtension with a space', { S3OutputPathExtension: 'a b' }, 'S3OutputPathExtension', /must match/],
    ['an S3OutputPathExtension over 512 characters', { S3OutputPathExtension: 'x'.repeat(513) }, 'S3OutputPathExtension', /at most 512 characters/],
    ['an InputLocation that is not s3:// or https://', { InputLocation: 'ftp://bucket/key' }, 'InputLocation', /must match/],
    ['an InputLocation over 1024 characters', { InputLocation: `s3://b/${'k'.repeat(1020)}` }, 'InputLocation', /at most 1024 characters/],
    ['a non-ASCII ContentType', { ContentType: 'application/jsön' }, 'ContentType', /US-ASCII/],
    ['an InferenceId over 64 characters', { InferenceId: 'i'.repeat(65) }, 'InferenceId', /at most 64 characters/],
    ['a bad EndpointName', { EndpointName: '-leading-dash' }, 'EndpointName', /must match/],
    ['a member of another operation (TargetModel)', { TargetModel: 'm.tar.gz' }, 'TargetModel', /not a member of InvokeEndpointAsync/],
  ];

  it.each(invalid)('rejects %s with nothing sent', async (_case, patch, member, rule) => {
    const events = await run(patch);
    expect(events.map((e) => e.type)).toEqual(['error']);
    const { error } = events[0] as InvokeErrorEvent;
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ member, retryable: false, $fault: 'client' });
    expect((error as InvalidRequestError).rule).toMatch(rule);
    expect(error.message.startsWith(`${member}: `)).toBe(true);
    expect(transport.sent).toHaveLength(0);
  });

  const valid: Array<[string, Partial<Record<string, unknown>>, Record<string, string>]> = [
    ['RequestTTLSeconds 60', { RequestTTLSeconds: 60 }, { 'x-amzn-sagemaker-requestttlseconds': '60' }],
    ['RequestTTLSeconds 21600', { RequestTTLSeconds: 21_600 }, { 'x-amzn-sagemaker-requestttlseconds': '21600' }],
    ['InvocationTimeoutSeconds 1', { InvocationTimeoutSeconds: 1 }, { 'x-amzn-sagemaker-invocationtimeoutseconds': '1' }],
    ['InvocationTimeoutSeconds 3600', { InvocationTimeoutSeconds: 3_600 }, { 'x-amzn-sagemaker-invocationtimeoutseconds': '3600' }],
    ['a Filename with one dot', { Filename: 'out_1-a.json' }, { 'x-amzn-sagemaker-filename': 'out_1-a.json' }],
    ['a 32-character Filename', { Filename: 'f'.repeat(32) }, { 'x-amzn-sagemaker-filename': 'f'.repeat(32) }],
    ['an S3OutputPathExtension path', { S3OutputPathExtension: "runs/2026-08/it's(1)" }, { 'x-amzn-sagemaker-s3outputpathextension': "runs/2026-08/it's(1)" }],
    ['an https InputLocation', { InputLocation: 'https://bucket.s3.amazonaws.com/in.json' }, { 'x-amzn-sagemaker-inputlocation': 'https://bucket.s3.amazonaws.com/in.json' }],
    ['an inline Body of exactly 128,000 bytes', { InputLocation: undefined, Body: new Uint8Array(128_000) }, { 'content-length': '128000' }],
  ];

  it.each(valid)('sends %s', async (_case, patch, headers) => {
    const events = await run(patch);
    expect(events.map((e) => e.type)).toEqual(['sent', 'accepted']);
    expect((events[1] as InvokeAcceptedEvent).output).toEqual({
      InferenceId: 'inf-202',
      OutputLocation: 's3://b/out',
      FailureLocation: 's3://b/fail',
      $metadata: { httpStatusCode: 202, requestId: 'req-1', attempts: 1, totalRetryDelay: 0 },
    });
    expect(transport.sent).toHaveLength(1);
    expect(transport.sent[0]!.headers).toMatchObject(headers);
    expect(transport.sent[0]!.url).toBe('http://127.0.0.1:9/endpoints/async-ep/async-invocations');
  });

  it('validates on subscribe, not on creation, and again on each subscription', async () => {
    const call$ = client.invokeEndpointAsync$({ ...BASE, RequestTTLSeconds: 1 });
    expect(transport.sent).toHaveLength(0);
    const [a, b] = await Promise.all([lastValueFrom(call$.pipe(toArray())), lastValueFrom(call$.pipe(toArray()))]);
    expect([a, b].map((events) => events.map((e) => e.type))).toEqual([['error'], ['error']]);
    expect(transport.sent).toHaveLength(0);
  });

  it('rejects the Promise twin with the InvalidRequestError, nothing sent', async () => {
    await expect(client.invokeEndpointAsync({ ...BASE, InvocationTimeoutSeconds: 4_000 })).rejects.toMatchObject({
      name: 'InvalidRequestError',
      member: 'InvocationTimeoutSeconds',
    });
    expect(transport.sent).toHaveLength(0);
  });
});
