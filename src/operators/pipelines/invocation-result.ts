/**
 * The per-item results of the pipeline operators (`invokeEach`, `batchInvocations`), their type
 * guards, and `settleInvocation`, which reduces one invocation's events to its single outcome.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { SageMakerRuntimeError } from '../../errors/sagemaker-runtime-error.js';
import type { InvokeEvent } from '../../events/invoke-event.js';
import type { InvokeEndpointOutput } from '../../model/shapes.js';

/** One item of `invokeEach` whose invocation answered. */
export interface InvocationSuccess<T> {
  /** The input item, as it came from the source. */
  item: T;
  /** 0-based position of the item in the source. */
  index: number;
  /** The endpoint's answer, in the AWS SDK shape. */
  output: InvokeEndpointOutput;
  error?: never;
  /** Every event of the invocation (`sent`, `retry`, `queued`, …, `response`), when `keepEvents` is on. */
  events?: InvokeEvent[];
}

/** One item of `invokeEach` whose invocation failed (after any retries). */
export interface InvocationFailure<T> {
  /** The input item, as it came from the source. */
  item: T;
  /** 0-based position of the item in the source. */
  index: number;
  output?: never;
  /** Why it failed: a service error, a client-side error, or `InvalidRequestError` when `toInput` threw. */
  error: SageMakerRuntimeError;
  /** Every event of the invocation, when `keepEvents` is on (empty when nothing was sent). */
  events?: InvokeEvent[];
}

/** What `invokeEach` emits: exactly one per input item, a success or a failure. */
export type InvocationResult<T> = InvocationSuccess<T> | InvocationFailure<T>;

/** The invocation that carried an item of `batchInvocations`. */
export interface BatchInfo {
  /** 1-based id of the invocation, unique within one subscription (a bisected half gets a new id). */
  id: number;
  /** Number of items that invocation carried. */
  size: number;
}

/** One item of `batchInvocations` whose batch answered and decoded. */
export interface BatchSuccess<T, R = unknown> {
  /** The input item, as it came from the source. */
  item: T;
  /** 0-based position of the item in the source. */
  index: number;
  /** The item's own answer: the codec's decoded value at the item's position in the batch. */
  output: R;
  error?: never;
  /** The invocation that carried the item. */
  batch: BatchInfo;
  /** Every event of the batch's invocation (shared by its items), when `keepEvents` is on. */
  events?: InvokeEvent[];
}

/** One item of `batchInvocations` whose batch failed, could not be decoded, or that could not be batched. */
export interface BatchFailure<T> {
  /** The input item, as it came from the source. */
  item: T;
  /** 0-based position of the item in the source. */
  index: number;
  output?: never;
  /** Why: the batch's error (the same object for every item of the batch), or this item's own. */
  error: SageMakerRuntimeError;
  /** The invocation that carried the item (for an item rejected before sending, a batch of 1 never sent). */
  batch: BatchInfo;
  /** Every event of the batch's invocation (shared by its items), when `keepEvents` is on. */
  events?: InvokeEvent[];
}

/** What `batchInvocations` emits: exactly one per input item, a success or a failure. */
export type BatchResult<T, R = unknown> = BatchSuccess<T, R> | BatchFailure<T>;

/** Any per-item result of the pipeline operators: `InvocationResult` or `BatchResult`. */
type AnyItemResult = { readonly error?: SageMakerRuntimeError };

/**
 * True when the item's invocation answered: narrows an `InvocationResult` to `InvocationSuccess`
 * and a `BatchResult` to `BatchSuccess` (also as a `filter` predicate).
 */
export function isInvocationSuccess<R extends AnyItemResult>(result: R): result is Exclude<R, { error: SageMakerRuntimeError }> {
  return result.error === undefined;
}

/**
 * True when the item failed: narrows an `InvocationResult` to `InvocationFailure` and a
 * `BatchResult` to `BatchFailure` (also as a `filter` predicate).
 */
export function isInvocationFailure<R extends AnyItemResult>(result: R): result is Extract<R, { error: SageMakerRuntimeError }> {
  return result.error !== undefined;
}

/** The single outcome of one invocation: its output or its error, and its events when kept. */
export type SettledInvocation =
  | { output: InvokeEndpointOutput; error?: never; events?: InvokeEvent[] }
  | { output?: never; error: SageMakerRuntimeError; events?: InvokeEvent[] };

/**
 * Reduces an invocation's events to one `SettledInvocation`, emitted at its `response` or `error`
 * event; it then completes and unsubscribes from the invocation. An invocation that completes
 * without a terminal event breaks the `EndpointInvoker` contract: that is a defect, reported on
 * the error channel, as are the invocation's own error notifications.
 */
export function settleInvocation(keepEvents = false): OperatorFunction<InvokeEvent, SettledInvocation> {
  return (source) =>
    new Observable<SettledInvocation>((subscriber) => {
      const events: InvokeEvent[] | undefined = keepEvents ? [] : undefined;
      const kept = events ? { events } : {};
      return source.subscribe({
        next(event) {
          events?.push(event);
          if (event.type === 'response') {
            subscriber.next({ output: event.output, ...kept });
            subscriber.complete();
          } else if (event.type === 'error') {
            subscriber.next({ error: event.error, ...kept });
            subscriber.complete();
          }
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () =>
          subscriber.error(new Error('settleInvocation: the invocation completed without a response or error event')),
      });
    });
}
