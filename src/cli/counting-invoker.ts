/**
 * Wraps a client so a run can count what happens on the wire without any hook in the operators:
 * each `invokeEndpoint$` call is an invocation, each subscription to it an attempt (a retry
 * resubscribes), each throttling `error` event a throttle.
 */
import { defer, tap } from 'rxjs';
import type { EndpointInvoker } from '../events/invoker.js';
import type { RunStats } from './run-stats.js';

/** An `EndpointInvoker` that forwards to `client` and counts into `stats`. */
export function countingInvoker(client: EndpointInvoker, stats: RunStats): EndpointInvoker {
  return {
    ...(client.retryQuota ? { retryQuota: client.retryQuota } : {}),
    invokeEndpoint$(input) {
      stats.invocations++;
      let attempts = 0;
      const source$ = client.invokeEndpoint$(input);
      return defer(() => {
        stats.attempts++;
        if (attempts++ > 0) stats.retries++;
        return source$.pipe(
          tap((event) => {
            if (event.type === 'error' && event.error.throttling) stats.throttles++;
          }),
        );
      });
    },
  };
}
