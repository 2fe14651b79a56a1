/**
 * `InvokeEndpointAsync`: the response handler that turns the 202 into an
 * `accepted` event, on the shared attempt pipeline.
 */
import type { Observable } from 'rxjs';
import type { InvokeAcceptedEvent, InvokeAsyncEvent } from '../events/invoke-event.js';
import { deserializeInvokeEndpointAsync } from '../protocol/deserialize.js';
import type { InvokeEndpointAsyncInput } from '../model/shapes.js';
import { attempt$, bufferedResponseHandler, type AttemptDeps } from './attempt.js';

/**
 * The response handler of the async operation: a 2xx (the service answers 202) becomes the
 * terminal `accepted` event with `InferenceId` (from the JSON body), `OutputLocation` and
 * `FailureLocation` (from headers) and `$metadata`; anything else, the parsed `error` event.
 */
export const invokeEndpointAsyncHandler = bufferedResponseHandler<InvokeAcceptedEvent>((response, context) => ({
  type: 'accepted',
  attempt: context.attempt,
  timestamp: context.timestamp(),
  output: deserializeInvokeEndpointAsync(response, context.attempt),
}));

/**
 * The cold Observable of one `InvokeEndpointAsync` call on the shared attempt pipeline: `sent`,
 * then `accepted` or `error`, then complete.
 */
export function invokeEndpointAsync$(deps: AttemptDeps, input: InvokeEndpointAsyncInput): Observable<InvokeAsyncEvent> {
  return attempt$(deps, 'InvokeEndpointAsync', input, invokeEndpointAsyncHandler) as Observable<InvokeAsyncEvent>;
}
