import { lastValueFrom } from 'rxjs';
import { SageMakerRuntime } from '../../src/client/sagemaker-runtime.js';
import { scriptedTransport } from '../../src/testing/scripted-transport.js';
import type { AnyInvokeEvent } from '../../src/events/invoke-event.js';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };

/** The `$metadata` of a terminal event: the output's, or the error's. */
function metadataOf(e: AnyInvokeEvent): unknown {
  if (e.type === 'error') return e.error.$metadata;
  if (e.type === 'response' || e.type === 'accepted') return (e.output as { $metadata: unknown }).$metadata;
  throw new Error(`not a terminal event: ${e.type}`);
}

describe("the client's $metadata (one attempt, as the AWS SDK reports a first-attempt result)", () => {
  const client = (replies: Parameters<typeof scriptedTransport>[0]) =>
    new SageMakerRuntime({ region: 'us-east-1', credentials, transport: scriptedTransport(replies) });

  it('says attempts 1 and totalRetryDelay 0 on a response, after the status and request id', async () => {
    const last = await lastValueFrom(client([{ status: 200, headers: { 'x-amzn-requestid': 'r-1' }, body: 'ok' }]).invokeEndpoint$({ EndpointName: 'e', Body: 'a' }));
    expect(last.type).toBe('response');
    expect(metadataOf(last)).toStrictEqual({ httpStatusCode: 200, requestId: 'r-1', attempts: 1, totalRetryDelay: 0 });
    expect(Object.keys(metadataOf(last) as object)).toEqual(['httpStatusCode', 'requestId', 'attempts', 'totalRetryDelay']);
  });

  it.each<[string, Parameters<typeof scriptedTransport>[0], Record<string, unknown>]>([
    ['an error response', [{ status: 503, body: '{"message":"busy"}' }], { httpStatusCode: 503, attempts: 1, totalRetryDelay: 0 }],
    ['a network error', [{ networkError: 'ECONNRESET' }], { attempts: 1, totalRetryDelay: 0 }],
  ])('says attempts 1 and totalRetryDelay 0 on the error of %s', async (_what, replies, expected) => {
    const last = await lastValueFrom(client(replies).invokeEndpoint$({ EndpointName: 'e', Body: 'a' }));
    expect(last.type).toBe('error');
    expect(metadataOf(last)).toStrictEqual(expected);
  });

  it('says it on an invalid input too, whose error (nothing sent) is the same object for every subscription', async () => {
    const call = client([]).invokeEndpoint$({ EndpointName: 'not a name!', Body: 'a' });
    const first = await lastValueFrom(call);
    const second = await lastValueFrom(call);
    expect(metadataOf(first)).toStrictEqual({ attempts: 1, totalRetryDelay: 0 });
    expect(second.type === 'error' && first.type === 'error' && second.error).toBe(first.type === 'error' && first.error);
  });

  it('says it on a stream summary and on an accepted async invocation', async () => {
    const rx = client([{ status: 200, body: '' }, { status: 202, body: '{"InferenceId":"i-1"}' }]);
    const stream = await lastValueFrom(rx.invokeEndpointWithResponseStream$({ EndpointName: 'e', Body: 'a' }));
    const accepted = await lastValueFrom(rx.invokeEndpointAsync$({ EndpointName: 'e', InputLocation: 's3://b/k' }));
    expect([stream.type, metadataOf(stream)]).toEqual(['response', { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 }]);
    expect([accepted.type, metadataOf(accepted)]).toEqual(['accepted', { httpStatusCode: 202, attempts: 1, totalRetryDelay: 0 }]);
  });
});
