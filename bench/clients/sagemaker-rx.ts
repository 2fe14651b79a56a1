/**
 * sagemaker-rx, full path: `new SageMakerRuntime({ region, endpoint, credentials, maxConnections })`
 * and, per request, `lastValueFrom(client.invokeEndpoint$(input))` — credentials, validation,
 * serialization, SigV4 signing, the undici transport and the lifecycle events.
 */
import { lastValueFrom, type Observable } from 'rxjs';
import type { InvokeEvent } from '../../src/events/invoke-event.js';
import type { InvokeEndpointInput } from '../../src/model/shapes.js';
import { createRxClient, type RxClient } from '../lib/rx-client.js';
import { assertSuccess, BENCH_CONTENT_TYPE, type BenchClient, type BenchTarget } from './bench-client.js';

/** Awaits the terminal event of one invocation and fails unless it is a good `response`. */
export async function expectResponse(name: string, events: Observable<InvokeEvent>): Promise<void> {
  const last = await lastValueFrom(events);
  if (last.type !== 'response') {
    throw new Error(`${name}: ended with a ${last.type} event${last.type === 'error' ? `: ${last.error.name}: ${last.error.message}` : ''}`);
  }
  assertSuccess(name, last.output.$metadata.httpStatusCode, last.output.InvokedProductionVariant);
  if (last.output.Body.length === 0) throw new Error(`${name}: empty body`);
}

/** The client and the input every request sends. */
export function rxClientFor(target: BenchTarget): { client: RxClient; input: InvokeEndpointInput } {
  const built = createRxClient(target.url, target.concurrency);
  if (!built.ok) throw new Error(built.reason);
  return { client: built.client, input: { EndpointName: target.endpointName, Body: target.body, ContentType: BENCH_CONTENT_TYPE } };
}

export function createClient(target: BenchTarget): BenchClient {
  const { client, input } = rxClientFor(target);
  return {
    invoke: () => expectResponse('sagemaker-rx', client.invokeEndpoint$(input)),
    close: async () => { await client.destroy(); },
  };
}
