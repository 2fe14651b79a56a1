/**
 * The cancellation of one attempt, without an `AbortController` unless someone asks for a
 * signal. The undici transport registers a plain callback (undici's own `abort` of the request);
 * the fetch transport, custom transports and response handlers read `signal`, which is then
 * created once and follows this cancellation. Unsubscribing from an attempt calls `abort()`.
 */

/** Cancels one attempt; its `AbortSignal` view is made on first read. */
export class Cancellation {
  #aborted = false;
  #reason: unknown = undefined;
  #controller: AbortController | undefined;
  #listener: ((reason: unknown) => void) | undefined;

  /** True once `abort()` was called. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** Why it was aborted: the `AbortError` an `AbortController` would give, unless `abort` was given one. */
  get reason(): unknown {
    return this.#reason;
  }

  /** An `AbortSignal` that aborts with this cancellation, created on the first read. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /**
   * Calls `listener` once on abort (at once when already aborted). One listener at a time: the
   * transport's; `undefined` removes it.
   */
  onAbort(listener: ((reason: unknown) => void) | undefined): void {
    this.#listener = listener;
    if (listener !== undefined && this.#aborted) listener(this.#reason);
  }

  /** Aborts: the listener, then the signal (if one was made). Later calls do nothing. */
  abort(reason?: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason ?? new DOMException('This operation was aborted', 'AbortError');
    const listener = this.#listener;
    this.#listener = undefined;
    listener?.(this.#reason);
    this.#controller?.abort(this.#reason);
  }
}
