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
 * Subscribes to a stream invocation and resolves when its `headers` event arrives; rejects with
 * the typed error when it fails before (an HTTP error, bad input), or with `signal.reason` when
 * `signal` aborts. Parts that arrive before `Body` is read are buffered.
 */
export function toResponseStreamPromise(source: Observable<InvokeStreamEvent>, { signal }: InvokeOptions = {}): Promise<InvokeEndpointWithResponseStreamOutput> {
  return new Promise<InvokeEndpointWithResponseStreamOutput>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const queue: Uint8Array[] = [];
    let outcome: Outcome | undefined;
    let started = false;
    let iterated = false;
    let wake: (() => void) | undefined;
    let subscription: Subscription | undefined;

    const settle = (o: Outcome) => {
      if (outcome) return;
      outcome = o;
      signal?.removeEventListener('abort', onAbort);
      if (!started) reject(o.kind === 'error' ? o.error : new Error('the response stream ended before its headers'));
      wake?.();
    };
    const stop = () => {
      subscription?.unsubscribe();
      signal?.removeEventListener('abort', onAbort);
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
              if (bytes) return { done: false, value: { PayloadPart: { Bytes: bytes } } };
              if (outcome?.kind === 'error') throw outcome.error;
              if (outcome?.kind === 'done') return { done: true, value: undefined };
              await new Promise<void>((r) => (wake = r));
              wake = undefined;
            }
          },
          async return(): Promise<IteratorResult<ResponseStreamPayloadEvent>> {
            stop();
            queue.length = 0;
            if (!outcome) outcome = { kind: 'done' };
            return { done: true, value: undefined };
          },
        };
      },
    };

    subscription = source.subscribe({
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
