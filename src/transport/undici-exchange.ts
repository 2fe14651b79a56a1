/**
 * One request through undici's dispatcher API: a handler that resolves with the response at its
 * headers and then serves the body, read whole or chunk by chunk, from the chunks undici hands
 * it. Cancelling goes through the `abort` of undici's controller, so a request costs no
 * `AbortController`, no event listener and no stream object of its own; backpressure pauses
 * the socket through the same controller.
 */
import type { Dispatcher } from 'undici';
import { mapTransportError, type FailureContext } from './map-transport-error.js';
import type { Cancellation } from './cancellation.js';
import type { TransportBody, TransportResponse } from './transport.js';

/** Bytes queued before the socket is paused for a reader that iterates. */
const HIGH_WATER_BYTES = 256 * 1024;

type Controller = Dispatcher.DispatchController;

/** The dispatch handler of one request, and the body of its response. */
export class UndiciExchange implements Dispatcher.DispatchHandler, TransportBody {
  #controller: Controller | undefined;
  #resolve: ((response: TransportResponse) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;
  readonly #chunks: Uint8Array[] = [];
  #queuedBytes = 0;
  #ended = false;
  #failure: { error: unknown } | undefined;
  #wake: (() => void) | undefined;
  /** True while a reader iterates: only then does a full queue pause the socket. */
  #iterating = false;
  #consumed = false;
  /**
   * undici hands each body chunk as a view of the socket read it came in, a buffer Node
   * allocates per read and never reuses: views into it stay valid and unchanged.
   */
  readonly freshChunks = true;
  /** Set when cancelled, so a request undici starts later is aborted at its start. */
  #cancelled: { reason: unknown } | undefined;

  constructor(
    resolve: (response: TransportResponse) => void,
    reject: (error: unknown) => void,
    private readonly failureContext: FailureContext,
    private readonly cancellation: Cancellation | undefined,
    signal: AbortSignal | undefined,
  ) {
    this.#resolve = resolve;
    this.#reject = reject;
    if (cancellation) cancellation.onAbort((reason) => this.#cancel(reason));
    else if (signal) {
      if (signal.aborted) this.#cancel(signal.reason);
      else signal.addEventListener('abort', () => this.#cancel(signal.reason), { once: true });
    }
  }

  /** Aborts the request (at its start if undici has not started it yet) and fails what waits. */
  #cancel(reason: unknown): void {
    this.#cancelled = { reason };
    // Failed first: undici reports the abort back through onResponseError, synchronously.
    this.#fail(reason, false);
    this.#done();
    this.#controller?.abort(reason as Error);
  }

  #fail(error: unknown, map: boolean): void {
    if (this.#ended || this.#failure) return;
    if (this.#reject) {
      const reject = this.#reject;
      this.#resolve = this.#reject = undefined;
      reject(map ? mapTransportError(error, this.failureContext) : error);
      return;
    }
    this.#failure = { error: map ? mapTransportError(error, this.failureContext) : error };
    this.#wakeReader();
  }

  #wakeReader(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #done(): void {
    this.cancellation?.onAbort(undefined);
  }

  onRequestStart(controller: Controller): void {
    this.#controller = controller;
    if (this.#cancelled) controller.abort(this.#cancelled.reason as Error);
  }

  onResponseStart(_controller: Controller, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    // Interim answers (100 Continue and the like) are not the response.
    if (statusCode < 200 || !this.#resolve) return;
    const resolve = this.#resolve;
    this.#resolve = this.#reject = undefined;
    resolve({ statusCode, headers: joinHeaders(headers), body: this });
  }

  onResponseData(controller: Controller, chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.#queuedBytes += chunk.byteLength;
    if (this.#iterating && this.#queuedBytes >= HIGH_WATER_BYTES) controller.pause();
    this.#wakeReader();
  }

  onResponseEnd(): void {
    this.#ended = true;
    this.#done();
    this.#wakeReader();
  }

  onResponseError(_controller: Controller, error: unknown): void {
    this.#done();
    this.#fail(error, true);
  }

  #claim(): void {
    if (this.#consumed) throw new TypeError('the response body was already read');
    this.#consumed = true;
  }

  async bytes(): Promise<Uint8Array> {
    this.#claim();
    while (!this.#ended) {
      if (this.#failure) throw this.#failure.error;
      await new Promise<void>((wake) => (this.#wake = wake));
    }
    const chunks = this.#chunks;
    if (chunks.length === 1) return chunks[0]!;
    const out = new Uint8Array(this.#queuedBytes);
    let at = 0;
    for (const chunk of chunks) {
      out.set(chunk, at);
      at += chunk.byteLength;
    }
    return out;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    this.#claim();
    this.#iterating = true;
    try {
      for (;;) {
        const chunk = this.#chunks.shift();
        if (chunk !== undefined) {
          this.#queuedBytes -= chunk.byteLength;
          if (this.#controller?.paused && this.#queuedBytes < HIGH_WATER_BYTES) this.#controller.resume();
          yield chunk;
          continue;
        }
        if (this.#ended) return;
        if (this.#failure) throw this.#failure.error;
        await new Promise<void>((wake) => (this.#wake = wake));
      }
    } finally {
      // A consumer that stops early must not hold the pooled socket.
      if (!this.#ended && !this.#failure) {
        this.#done();
        this.#controller?.abort(new DOMException('the response body was not read to its end', 'AbortError'));
      }
    }
  }
}

/** Joins repeated headers with `, ` in place (undici gives lower-case names, one array per repeated header). */
function joinHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  for (const name in headers) {
    const value = headers[name];
    if (Array.isArray(value)) headers[name] = value.join(', ');
    else if (value === undefined) delete headers[name];
  }
  return headers as Record<string, string>;
}
