/**
 * sagemaker-rx with the resilience operators in the recommended order, when nothing fails:
 * `invokeEndpoint$(input).pipe(timeoutInvocation(each), retryInvocation({ quota }),
 * throttleInvocations(limiter))` per call, with one `createLimiter({ maxConcurrency: 1000 })`
 * shared by the client's calls.
 * Measures what the composition costs over bare `invokeEndpoint$`.
 */
import type { MonoTypeOperatorFunction } from 'rxjs';
import type { InvokeEvent } from '../../src/events/invoke-event.js';
import type { retryInvocation as RetryInvocation } from '../../src/operators/resilience/retry-invocation.js';
import type { timeoutInvocation as TimeoutInvocation } from '../../src/operators/resilience/timeout-invocation.js';
import { requireExports } from '../lib/library.js';
import type { BenchClient, BenchTarget } from './bench-client.js';
import { expectResponse, rxClientFor } from './sagemaker-rx.js';

/** Per-attempt deadline: far above any bench round trip, so it never fires, but its timer is armed. */
const EACH_ATTEMPT_MS = 10_000;
const LIMITER_MAX_CONCURRENCY = 1000;

type CreateLimiter = (config: { maxConcurrency: number }) => unknown;
type ThrottleInvocations = (limiter: never) => MonoTypeOperatorFunction<InvokeEvent>;

export function createClient(target: BenchTarget): BenchClient {
  const lib = requireExports(['retryInvocation', 'timeoutInvocation', 'throttleInvocations', 'createLimiter']);
  if (!lib.ok) throw new Error(lib.reason);
  const retryInvocation = lib.exports.retryInvocation as typeof RetryInvocation;
  const timeoutInvocation = lib.exports.timeoutInvocation as typeof TimeoutInvocation;
  const throttleInvocations = lib.exports.throttleInvocations as ThrottleInvocations;
  const createLimiter = lib.exports.createLimiter as CreateLimiter;

  const { client, input } = rxClientFor(target);
  const limiter = createLimiter({ maxConcurrency: LIMITER_MAX_CONCURRENCY }) as never;
  const retryConfig = { maxAttempts: 3, ...(client.retryQuota ? { quota: client.retryQuota } : {}) };
  return {
    // The operators are created per call, as application code writes them.
    invoke: () => expectResponse('sagemaker-rx+operators', client.invokeEndpoint$(input).pipe(
      timeoutInvocation<InvokeEvent>(EACH_ATTEMPT_MS),
      retryInvocation<InvokeEvent>(retryConfig),
      throttleInvocations(limiter),
    )),
    close: async () => { await client.destroy(); },
  };
}
