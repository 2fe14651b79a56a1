import { lastValueFrom, toArray, VirtualTimeScheduler } from 'rxjs';
import { SageMakerRuntime } from '../../src/client/sagemaker-runtime.js';
import { scriptedTransport } from '../../src/testing/scripted-transport.js';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };

describe('the clock of the client\'s events', () => {
  it('stamps every event with the configured scheduler\'s time, so a stream has one clock', async () => {
    const scheduler = new VirtualTimeScheduler();
    scheduler.frame = 1234;
    const transport = scriptedTransport([{ status: 503, body: '{"message":"busy"}' }, { status: 200, body: 'ok' }]);
    const client = new SageMakerRuntime({ region: 'us-east-1', credentials, transport, scheduler });
    const failed = await lastValueFrom(client.invokeEndpoint$({ EndpointName: 'reviews', Body: 'a' }).pipe(toArray()));
    const answered = await lastValueFrom(client.invokeEndpoint$({ EndpointName: 'reviews', Body: 'b' }).pipe(toArray()));
    expect([...failed, ...answered].map((e) => [e.type, e.timestamp])).toEqual([
      ['sent', 1234],
      ['error', 1234],
      ['sent', 1234],
      ['response', 1234],
    ]);
  });

  it('uses the wall clock by default', async () => {
    const transport = scriptedTransport([{ status: 200, body: 'ok' }]);
    const client = new SageMakerRuntime({ region: 'us-east-1', credentials, transport });
    const before = Date.now();
    const events = await lastValueFrom(client.invokeEndpoint$({ EndpointName: 'reviews', Body: 'b' }).pipe(toArray()));
    for (const e of events) expect(e.timestamp).toBeGreaterThanOrEqual(before);
    for (const e of events) expect(e.timestamp).toBeLessThanOrEqual(Date.now());
  });
});
