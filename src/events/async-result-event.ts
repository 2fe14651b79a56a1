/**
 * The events of waiting for an async inference's result (`waitForAsyncResult$`): a `poll` for
 * each round that found neither object yet, then one terminal `result` (the output object) or
 * `error` (the failure object as an `AsyncInferenceError`, a timeout, an S3 or network error).
 */
import type { ResponseMetadata } from '../errors/sagemaker-runtime-error.js';
import type { InvokeErrorEvent } from './invoke-event.js';

/** A round of polling found neither the output nor the failure object. */
export interface InvokePollEvent {
  type: 'poll';
  /** 1-based round of polling. */
  attempt: number;
  /** Epoch ms, from the scheduler in use. */
  timestamp: number;
  /** Time since the wait started, in ms. */
  elapsedMs: number;
  OutputLocation: string;
  FailureLocation?: string;
}

/** The output of an async inference, read from its `OutputLocation`. */
export interface AsyncInferenceResult {
  /** The output object, byte for byte. */
  Body: Uint8Array;
  /** The output object's `Content-Type` (the model's). */
  ContentType?: string;
  InferenceId?: string;
  OutputLocation: string;
  /** Of the `GetObject` that read it (`requestId` is S3's `x-amz-request-id`). */
  $metadata: ResponseMetadata;
}

/** The output object was read. Terminal. */
export interface InvokeResultEvent {
  type: 'result';
  /** The round of polling that found it. */
  attempt: number;
  timestamp: number;
  output: AsyncInferenceResult;
  /** Time since the wait started, in ms. */
  durationMs: number;
}

/** The events of `waitForAsyncResult$`. Narrow on `type`. */
export type AsyncResultEvent = InvokePollEvent | InvokeResultEvent | InvokeErrorEvent;

/** True for a `poll` event: the result is not there yet. */
export function isPollEvent(e: { type: string }): e is InvokePollEvent {
  return e.type === 'poll';
}

/** True for a `result` event: the async inference's output. */
export function isResultEvent(e: { type: string }): e is InvokeResultEvent {
  return e.type === 'result';
}
