/**
 * What an attempt hands its transport (`AttemptRequest`) and its response handler
 * (`HandlerContext`). Classes, so every attempt's objects share one hidden class: written as
 * object literals with `get signal() { … }`, each object had a map of its own (the getter is a
 * new closure every time), which cost about a quarter of the library's CPU per call in
 * garbage-collector time and misses (measured with `bench/micro/client-overhead.ts`). The
 * `AbortSignal` is still made only if someone reads `signal`.
 */
import type { OperationName } from '../model/index.js';
import type { SentRequest } from '../events/invoke-event.js';
import type { Cancellation } from '../transport/cancellation.js';
import type { TransportRequest, TransportResponse } from '../transport/transport.js';
import type { AttemptContext } from './attempt.js';

/**
 * The request a transport gets. `signal` is a getter on the prototype: a copy made with a spread
 * keeps `cancellation` but not `signal` (the fetch transport falls back to `cancellation`).
 */
export class AttemptRequest implements TransportRequest {
  constructor(
    readonly method: 'POST' | 'GET',
    readonly url: string,
    readonly headers: Readonly<Record<string, string>>,
    readonly body: Uint8Array,
    readonly cancellation: Cancellation,
  ) {}

  get signal(): AbortSignal {
    return this.cancellation.signal;
  }
}

/** A response handler's view of its attempt. */
export class HandlerContext<E> implements AttemptContext<E> {
  constructor(
    readonly operation: OperationName,
    readonly attempt: number,
    readonly request: SentRequest,
    readonly response: TransportResponse,
    private readonly cancellation: Cancellation,
    readonly maxResponseBytes: number,
    readonly emit: (event: E) => void,
    readonly timestamp: () => number,
    private readonly startedAt: number,
  ) {}

  get signal(): AbortSignal {
    return this.cancellation.signal;
  }

  elapsedMs(): number {
    return performance.now() - this.startedAt;
  }
}
