import { defer, map, mergeMap, of, type Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { EndpointInvoker } from '../../events/invoker.js';
import { InvalidRequestError } from '../../errors/client-errors.js';
import type { InvokeEndpointInput } from '../../model/shapes.js';
import type { InvocationResult } from './invocation-result.js';
import { settleInvocation } from './invocation-result.js';
import { reorderByIndex } from './reorder-by-index.js';
import { invocationOptionsOperator, messageOf, validateConcurrency, type InvocationOptions } from './invocation-options.js';
import { DEFAULT_INVOKE_EACH_CONCURRENCY } from '../../defaults.js';

/** Options of `invokeEach`: its own, and the resilience options applied to every invocation. */
export interface InvokeEachConfig extends InvocationOptions {
  /** Most invocations in flight at once (a positive integer, or `Infinity`). @default 4 invocations */
  concurrency?: number;
  /** Emit results in input order (later results wait for earlier ones); else as they finish. @default false */
  ordered?: boolean;
  /** Attach every event of the invocation (`sent`, `retry`, `queued`, …) to its result as `events`. @default false */
  keepEvents?: boolean;
  /** The clock of `retry` and `timeout`, unless their own configs name one. @default asyncScheduler */
  scheduler?: SchedulerLike;
}

/** Builds the request for one item; it may throw to reject the item. */
export type ToInvokeInput<T> = (item: T, index: number) => InvokeEndpointInput;

/**
 * Invokes the endpoint once per source item and emits exactly one result per item:
 * `{ item, index, output }` when the endpoint answered, `{ item, index, error }` when the
 * invocation failed — failures are values, the error channel is never used for them.
 *
 * At most `concurrency` invocations are in flight; further items wait inside `mergeMap` until a
 * slot frees. RxJS sources push, so the items a fast source sends meanwhile are held there (this
 * operator adds no buffer of its own); to bound memory, let the source pull (e.g. produce the next
 * record when results arrive) or use `batchInvocations`. With `ordered: true` results come out in
 * input order, the invocations still running concurrently; results that finish early are held until
 * the ones before them are emitted.
 *
 * `toInput(item, index)` builds each request; if it throws, that item gets an
 * `InvalidRequestError` result (member `toInput`, rule = the thrown message) and nothing is sent.
 * `retry`, `timeout` and `limiter` wrap every invocation in `retryInvocation`,
 * `timeoutInvocation` and `throttleInvocations` (see `InvocationOptions` for the order); the
 * result then reflects the last attempt, and `events` (with `keepEvents`) shows every `retry` and
 * `queued` on the way.
 *
 * When the source completes, the operator completes after the in-flight items settle.
 * Unsubscribing unsubscribes every in-flight invocation, which aborts its request. An error
 * notification of the source (a defect of the source, not a failed item) is passed on at once.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { SageMakerRuntime, invokeEach, isInvocationSuccess } from 'sagemaker-rx';
 *
 * const client = new SageMakerRuntime({ region: 'eu-west-1' });
 * from(reviews).pipe(
 *   invokeEach(client, (r) => ({ EndpointName: 'sentiment', Body: JSON.stringify(r), ContentType: 'application/json' }),
 *     { concurrency: 8, ordered: true, retry: { maxAttempts: 4 }, timeout: 10_000 }),
 * ).subscribe((r) => console.log(r.index, isInvocationSuccess(r) ? 'ok' : r.error.name));
 * // 0 ok
 * // 1 ok
 * // 2 ModelError
 * ```
 */
export function invokeEach<T>(
  client: EndpointInvoker,
  toInput: ToInvokeInput<T>,
  config: InvokeEachConfig = {},
): OperatorFunction<T, InvocationResult<T>> {
  const { concurrency = DEFAULT_INVOKE_EACH_CONCURRENCY, ordered = false, keepEvents = false, scheduler } = config;
  if (typeof client?.invokeEndpoint$ !== 'function') {
    throw new TypeError('invokeEach: client must have an invokeEndpoint$(input) method');
  }
  if (typeof toInput !== 'function') throw new TypeError('invokeEach: toInput must be a function');
  validateConcurrency('invokeEach', concurrency);
  const resilience = invocationOptionsOperator('invokeEach', client, config, scheduler);

  const invokeOne = (item: T, index: number): Observable<InvocationResult<T>> =>
    defer(() => {
      let input: InvokeEndpointInput;
      try {
        input = toInput(item, index);
      } catch (err) {
        const error = new InvalidRequestError({ member: 'toInput', rule: messageOf(err), cause: err });
        return of<InvocationResult<T>>({ item, index, error, ...(keepEvents ? { events: [] } : {}) });
      }
      return client
        .invokeEndpoint$(input)
        .pipe(
          resilience,
          settleInvocation(keepEvents),
          map((settled): InvocationResult<T> => ({ item, index, ...settled }) as InvocationResult<T>),
        );
    });

  return (source) => {
    const results = source.pipe(mergeMap(invokeOne, concurrency));
    return ordered ? results.pipe(reorderByIndex()) : results;
  };
}
