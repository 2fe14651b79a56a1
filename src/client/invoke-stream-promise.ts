/**
 * The Promise twin of the streaming operation, in the AWS SDK v3 shape: resolves with the output
 * members once the stream has started, and `Body` is an async iterable of `{ PayloadPart: { Bytes } }`
 * that throws the typed error of a failed stream — so code written for
 * `InvokeEndpointWithResponseStreamCommand` runs unchanged.
 */
import type { Observable, Subscription } from 'rxjs';
import type { SageMakerRuntimeError } from '../errors/sagemaker-runtime-error.js';
import type { InvokeStreamEvent } from '../events/invoke-event.js';
import type { InvokeEndpointWithResponseStreamHeaders } from '../model/shapes.js';
import type { InvokeOptions } from './to-promise.js';

/** One event of `Body`: the AWS SDK's `ResponseStream` union as it is yielded (errors are thrown, not yielded). */
export interface ResponseStreamPayloadEvent {
  PayloadPart: { Bytes: Uint8Array };
}

/** The output of `client.invokeEndpointWithResponseStream(input)`: the AWS SDK v3 shape. */
export interface InvokeEndpointWithResponseStreamOutput extends InvokeEndpointWithResponseStreamHeaders {
  /**
   * The stream's parts as they arrive. Iterate it once. It throws the stream's typed error
   * (`ModelStreamError`, `InternalStreamFailure`, `NetworkError`, …); leaving the loop early
   * (`break`, `return`, a throw) aborts the request and releases the socket.
   */
  Body: AsyncIterable<ResponseStreamPayloadEvent>;
}

type Outcome = { kind: 'done' } | { kind: 'error'; error: unknown };

/**
 * Parts held for a `Body` not read yet. Past this the stream's handler stops reading the socket
 * until the consumer pulls, so TCP holds the server back instead of memory filling up.
 */
export const BODY_HIGH_WATER_PARTS = 4;

/** Builds the stream's Observable with a demand gate the handler awaits after each part. */
export type PacedStreamSource = (demand: () => Promise<void> | undefined) => Observable<InvokeStreamEvent>;

/**
 * Subscribes to a stream invocation and resolves when its `headers` event arrives; rejects with
 * the typed error when it fails before (an HTTP error, bad input), or with `signal.reason` when
 * `signal` aborts. `Body` is pull-based when `source` is a {@link PacedStreamSource}: at most
 * {@link BODY_HIGH_WATER_PARTS} parts wait for the reader, and the socket is not read past them.
 * (A plain Observable cannot be paused: its parts are queued as they come.)
 */
export function toResponseStreamPromise(
  source: Observable<InvokeStreamEvent> | PacedStreamSource,
  { signal }: InvokeOptions = {},
): Promise<InvokeEndpointWithResponseStreamOutput> {
  return new Promise<InvokeEndpointWithResponseStreamOutput>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const queue: Uint8Array[] = [];
    let outcome: Outcome | undefined;
    let started = false;
    let iterated = false;
    let wake: (() => void) | undefined;
    let subscription: Subscription | undefined;
    // The handler's wait for the reader: resolved when a part is taken, or when the call ends.
    let room: (() => void) | undefined;
    const makeRoom = () => {
      const r = room;
      room = undefined;
      r?.();
    };
    const demand = (): Promise<void> | undefined =>
      outcome || queue.length < BODY_HIGH_WATER_PARTS ? undefined : new Promise<void>((r) => (room = r));

    const settle = (o: Outcome) => {
      if (outcome) return;
      outcome = o;
      signal?.removeEventListener('abort', onAbort);
      if (!started) reject(o.kind === 'error' ? o.error : new Error('the response stream ended before its headers'));
      wake?.();
      makeRoom();
    };
    const stop = () => {
      subscription?.unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      makeRoom();
    };
    function onAbort() {
      stop();
      settle({ kind: 'error', error: signal!.reason });
    }

    const body: AsyncIterable<ResponseStreamPayloadEvent> = {
      [Symbol.asyncIterator]() {
        if (iterated) throw new TypeError('Body of a response stream can be iterated only once');
        iterated = true;
        return {
          async next(): Promise<IteratorResult<ResponseStreamPayloadEvent>> {
            for (;;) {
              const bytes = queue.shift();
              if (queue.length < BODY_HIGH_WATER_PARTS) makeRoom();
              if (bytes) return { done: false, value: { PayloadPart: { Bytes: bytes } } };
              if (outcome?.kind === 'error') throw outcome.error;
              if (outcome?.kind === 'done') return { done: true, value: undefined };
              await new Promise<void>((r) => (wake = r));
              wake = undefined;
            }
          },
          async return(): Promise<IteratorResult<ResponseStreamPayloadEvent>> {
            if (!outcome) outcome = { kind: 'done' };
            stop();
            queue.length = 0;
            return { done: true, value: undefined };
          },
        };
      },
    };

    const events = typeof source === 'function' ? source(demand) : source;
    subscription = events.subscribe({
      next: (e) => {
        switch (e.type) {
          case 'headers':
            started = true;
            resolve({ ...e.output, Body: body });
            break;
          case 'chunk':
            queue.push(e.bytes);
            wake?.();
            break;
          case 'response':
            settle({ kind: 'done' });
            break;
          case 'error':
            settle({ kind: 'error', error: e.error as SageMakerRuntimeError });
            break;
        }
      },
      error: (defect: unknown) => settle({ kind: 'error', error: defect }),
      complete: () => settle({ kind: 'done' }),
    });
    if (!outcome) signal?.addEventListener('abort', onAbort, { once: true });
  });
}
