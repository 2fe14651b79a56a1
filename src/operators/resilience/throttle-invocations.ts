import { Observable, type MonoTypeOperatorFunction, type Subscription } from 'rxjs';
import type { AnyInvokeEvent, InvokeEvent, InvokeQueuedEvent } from '../../events/invoke-event.js';
import { isTerminalEvent } from '../../events/guards.js';
import type { Limiter, LimiterPermit, LimiterTicket } from './create-limiter.js';
import { currentDiagnosticsCall, subscribeWithinCall } from '../../diagnostics/call-scope.js';
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
  return (source) =>
    new Observable<E>((subscriber) => {
      let permit: LimiterPermit | undefined;
      let upstream: Subscription | undefined;
      let ended = false; // the terminal event went by: the permit is back
      // A grant after a wait subscribes from another call's stack: restore this one's call.
      const call = currentDiagnosticsCall();
      let queuedAt: number | undefined;
      const release = (): void => {
        permit?.release();
        permit = undefined;
      };

      const start = (granted: LimiterPermit): void => {
        permit = granted;
        publishLimiterGranted(limiter, queuedAt === undefined ? 0 : limiter.scheduler.now() - queuedAt);
        upstream = subscribeWithinCall(call, () => source.subscribe({
          next: (e) => {
            if (ended) return;
            if (isTerminalEvent(e)) {
              ended = true;
              limiter.record(e);
              release();
            } else if (e.type === 'retry') {
              limiter.record(e);
            }
            subscriber.next(e);
          },
          error: (err: unknown) => {
            release();
            subscriber.error(err);
          },
          complete: () => {
            release();
            subscriber.complete();
          },
        }));
      };

      const ticket: LimiterTicket = limiter.acquire(start);
      if (!ticket.granted) {
        queuedAt = limiter.scheduler.now();
        publishLimiterQueued(limiter, ticket.position);
        const queued: InvokeQueuedEvent = { type: 'queued', attempt: 1, timestamp: limiter.scheduler.now(), position: ticket.position };
        subscriber.next(queued as E);
      }
      return () => {
        ticket.cancel();
        upstream?.unsubscribe(); // abort first, so the next holder never overlaps this request
        release();
      };
    });
}
