import type { Observable } from 'rxjs';
import type { InvokeEvent } from './invoke-event.js';
import type { InvokeEndpointInput } from '../model/shapes.js';
import type { RetryQuota } from '../retry/retry-quota.js';

/**
 * What the pipeline operators (`invokeEach`, `batchInvocations`) need of a client:
 * `SageMakerRuntime` is one; a test double or a wrapper can be another.
 */
export interface EndpointInvoker {
  invokeEndpoint$(input: InvokeEndpointInput): Observable<InvokeEvent>;
  /** The client's shared retry quota, used by `retry` options when present. */
  readonly retryQuota?: RetryQuota;
}
