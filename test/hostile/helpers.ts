/** What every hostile test shares: a client with a session token, and event collection. */
import { lastValueFrom, toArray, type Observable } from 'rxjs';
import { SageMakerRuntime } from '../../src/client/sagemaker-runtime';
import type { SageMakerRuntimeConfig } from '../../src/client/config';
import type { AnyInvokeEvent, InvokeErrorEvent } from '../../src/events/invoke-event';

/** A session token long enough that a snippet cut at ~200 characters holds only its start. */
export const SESSION_TOKEN = `IQoJb3JpZ2luX2VjE${'Ab9xQz7Lm2Np4Rs6Tu8Vw0Yx'.repeat(16)}SECRETEND`;
export const CREDENTIALS = { accessKeyId: 'AKIDHOSTILE', secretAccessKey: 'hostile-secret-access-key', sessionToken: SESSION_TOKEN };

export function newClient(endpoint: string, config: SageMakerRuntimeConfig = {}): SageMakerRuntime {
  return new SageMakerRuntime({ region: 'us-east-1', endpoint, credentials: CREDENTIALS, ...config });
}

export const INPUT = { EndpointName: 'e', Body: '{"x":1}', ContentType: 'application/json' };

/** Collects every event; a defect (error notification) rejects. */
export function collect<T extends AnyInvokeEvent>(source: Observable<T>): Promise<T[]> {
  return lastValueFrom(source.pipe(toArray()));
}

/** The error of the last event, which must be an `error` event. */
export function lastError(events: readonly AnyInvokeEvent[]): InvokeErrorEvent['error'] {
  const last = events[events.length - 1];
  if (last?.type !== 'error') throw new Error(`expected an error event last, got ${events.map((e) => e.type).join(', ')}`);
  return (last as InvokeErrorEvent).error;
}
