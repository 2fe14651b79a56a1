import { Observable, type MonoTypeOperatorFunction, type Observer, type Subscriber, type Subscription } from 'rxjs';
import type { AnyInvokeEvent, InvokeEvent, InvokeQueuedEvent } from '../../events/invoke-event.js';
import { isTerminalEvent } from '../../events/guards.js';
import type { Limiter, LimiterPermit, LimiterTicket } from './create-limiter.js';
import { currentDiagnosticsCall, subscribeObserverWithinCall } from '../../diagnostics/call-scope.js';
import type { DiagnosticsCall } from '../../diagnostics/messages.js';
import { publishLimiterGranted, publishLimiterQueued } from '../../diagnostics/publish.js';

/**
 * Holds each subscription to the invocation until `limiter` grants a permit: subscribes at once
 * when one is free, else emits `{ type: 'queued', position }` and subscribes when its turn comes
 * (FIFO across every pipeline sharing the limiter). The permit is released on the terminal event,
 * on unsubscribe and on an error notification; a queued subscription that is unsubscribed leaves
 * the queue and never subscribes upstream (nothing is sent). Terminal events, and the errors of
 * `retry` events, are fed to `limiter.record` so an adaptive limiter sees every throttle.
 *
 * Place it inside `retryInvocation` so each attempt takes its own permit and a backoff wait holds
 * none.
 *
 * @example
 * ```ts
 * import { createLimiter, retryInvocation, throttleInvocations } from 'sagemaker-rx';
 * const limiter = createLimiter({ maxConcurrency: 4, adaptive: true });
 * client.invokeEndpoint$(input).pipe(throttleInvocations(limiter), retryInvocation({ quota: client.retryQuota }));
 * // queued (position 12), sent, response
 * ```
 */
export function throttleInvocations<E extends AnyInvokeEvent = InvokeEvent>(limiter: Limiter): MonoTypeOperatorFunction<E> {
  if (!limiter || typeof limiter.acquire !== 'function' || typeof limiter.record !== 'function') {
    throw new TypeError('throttleInvocations: limiter must come from createLimiter()');
  }
  return (source) => new Observable<E>((subscriber) => new ThrottleRun(source, subscriber, limiter).start());
}

/**
 * One subscription to `throttleInvocations`: waits for its permit, then is the observer of the
 * upstream (a plain object with methods, which RxJS wraps in its usual subscriber) and the
 * subscription's teardown. When a permit is free, `acquire` grants it before returning: nothing
 * is scheduled and no `queued` event is made.
 */
class ThrottleRun<E extends AnyInvokeEvent> {
  private permit: LimiterPermit | undefined = undefined;
  private upstream: Subscription | undefined = undefined;
  /** The terminal event went by: the permit is back. */
  private ended = false;
  private queuedAt: number | undefined = undefined;
  private ticket: LimiterTicket | undefined = undefined;
  // A grant after a wait subscribes from another call's stack: restore this one's call.
  private readonly call: DiagnosticsCall | undefined = currentDiagnosticsCall();
  /** `limiter.acquire`'s callback, bound once. */
  private readonly granted = (permit: LimiterPermit): void => this.subscribeUpstream(permit);

  constructor(
    private readonly source: Observable<E>,
    private readonly out: Subscriber<E>,
    private readonly limiter: Limiter,
  ) {}

  /** Asks for a permit; returns this run as the teardown. */
  start(): this {
    const { limiter } = this;
    const ticket = limiter.acquire(this.granted);
    this.ticket = ticket;
    if (!ticket.granted) {
      this.queuedAt = limiter.scheduler.now();
      publishLimiterQueued(limiter, ticket.position);
      const queued: InvokeQueuedEvent = { type: 'queued', attempt: 1, timestamp: limiter.scheduler.now(), position: ticket.position };
      this.out.next(queued as E);
    }
    return this;
  }

  private subscribeUpstream(permit: LimiterPermit): void {
    this.permit = permit;
    const { limiter } = this;
    publishLimiterGranted(limiter, this.queuedAt === undefined ? 0 : limiter.scheduler.now() - this.queuedAt);
    this.upstream = subscribeObserverWithinCall<Partial<Observer<E>>, Subscription>(this.call, this.source, this);
  }

  private release(): void {
    const { permit } = this;
    if (permit === undefined) return;
    this.permit = undefined;
    permit.release();
  }

  next(e: E): void {
    if (this.ended) return;
    if (isTerminalEvent(e)) {
      this.ended = true;
      this.limiter.record(e);
      this.release();
    } else if (e.type === 'retry') {
      this.limiter.record(e);
    }
    this.out.next(e);
  }

  error(err: unknown): void {
    this.release();
    this.out.error(err);
  }

  complete(): void {
    this.release();
    this.out.complete();
  }

  /** The downstream unsubscribed: leave the queue, or abort the request, then give the permit back. */
  unsubscribe(): void {
    this.ticket?.cancel();
    this.upstream?.unsubscribe(); // abort first, so the next holder never overlaps this request
    this.release();
  }
}
