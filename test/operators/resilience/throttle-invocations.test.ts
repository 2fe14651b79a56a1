import { cold, Scheduler } from 'jest-marbles';
import { concat, NEVER, of, Subscription, type SchedulerLike } from 'rxjs';
import { createLimiter, type CreateLimiterConfig } from '../../../src/operators/resilience/create-limiter.js';
import { throttleInvocations } from '../../../src/operators/resilience/throttle-invocations.js';
import { timeoutInvocation } from '../../../src/operators/resilience/timeout-invocation.js';
import { retryInvocation } from '../../../src/operators/resilience/retry-invocation.js';
import type { AnyInvokeEvent } from '../../../src/events/invoke-event.js';
import { errorEvent, queuedEvent, responseEvent, sentEvent, serviceError } from '../../../src/testing/event-builders.js';

// jest-marbles 4: one frame = 1 virtual ms. Expectations subscribe in the order they are written.

const s = sentEvent();
const o = responseEvent();
const ok = () => cold('s-o|', { s, o });
const limiterOf = (config: CreateLimiterConfig) => createLimiter({ scheduler: Scheduler.get(), ...config });
const th = (limiter: ReturnType<typeof createLimiter>) => throttleInvocations<AnyInvokeEvent>(limiter);
const queued = (position: number, timestamp = 0) => queuedEvent(position, 1, timestamp);

describe('throttleInvocations', () => {
  it('grants permits in FIFO order, emitting `queued` with the position for those that wait', () => {
    const limiter = limiterOf({ maxConcurrency: 1 });
    const [a, b, c] = [ok(), ok(), ok()];
    expect(a.pipe(th(limiter))).toBeObservable(cold('s-o|', { s, o }));
    expect(b.pipe(th(limiter))).toBeObservable(cold('q-s-o|', { q: queued(0), s, o }));
    expect(c.pipe(th(limiter))).toBeObservable(cold('q---s-o|', { q: queued(1), s, o }));
    expect(a).toHaveSubscriptions('^--!');
    expect(b).toHaveSubscriptions('--^--!'); // subscribed when a's response released the permit
    expect(c).toHaveSubscriptions('----^--!');
    expect(cold('|')).toSatisfyOnFlush(() => expect(limiter.state()).toMatchObject({ inFlight: 0, queued: 0 }));
  });

  it('releases the permit on an error event', () => {
    const limiter = limiterOf({ maxConcurrency: 1 });
    const failing = cold('s-e|', { s, e: errorEvent(serviceError('ModelError')) });
    const next = ok();
    expect(failing.pipe(th(limiter))).toBeObservable(cold('s-e|', { s, e: errorEvent(serviceError('ModelError')) }));
    expect(next.pipe(th(limiter))).toBeObservable(cold('q-s-o|', { q: queued(0), s, o }));
    expect(next).toHaveSubscriptions('--^--!');
  });

  it('releases the permit when the holder unsubscribes (the request is aborted first)', () => {
    const limiter = limiterOf({ maxConcurrency: 1 });
    const hung = cold('s------', { s });
    const next = ok();
    Scheduler.get().expectObservable(hung.pipe(th(limiter)), '^--!').toBe('s', { s });
    expect(next.pipe(th(limiter))).toBeObservable(cold('q--s-o|', { q: queued(0), s, o }));
    expect(hung).toHaveSubscriptions('^--!');
    expect(next).toHaveSubscriptions('---^--!');
  });

  it('releases the permit when a timeout inside it ends the attempt', () => {
    const limiter = limiterOf({ maxConcurrency: 1 });
    const hung = cold('s------', { s });
    const next = ok();
    const timedOut = expect.objectContaining({ type: 'error', error: expect.objectContaining({ name: 'TimeoutError', phase: 'each' }) });
    expect(hung.pipe(timeoutInvocation<AnyInvokeEvent>({ each: 5, scheduler: Scheduler.get() }), th(limiter))).toBeObservable(
      cold('s----(t|)', { s, t: timedOut }),
    );
    expect(next.pipe(th(limiter))).toBeObservable(cold('q----s-o|', { q: queued(0), s, o }));
    expect(hung).toHaveSubscriptions('^----!');
    expect(next).toHaveSubscriptions('-----^--!');
  });

  it('releases the permit when a timeout outside it unsubscribes', () => {
    const limiter = limiterOf({ maxConcurrency: 1 });
    const hung = cold('s------', { s });
    const next = ok();
    expect(hung.pipe(th(limiter), timeoutInvocation<AnyInvokeEvent>({ total: 4, scheduler: Scheduler.get() }))).toBeObservable(
      cold('s---(t|)', { s, t: expect.objectContaining({ type: 'error' }) }),
    );
    expect(next.pipe(th(limiter))).toBeObservable(cold('q---s-o|', { q: queued(0), s, o }));
    expect(next).toHaveSubscriptions('----^--!');
  });

  it('releases the permit on an error notification (a defect)', () => {
    const limiter = limiterOf({ maxConcurrency: 1 });
    const broken = cold('s-#', { s }, new Error('defect'));
    const next = ok();
    expect(broken.pipe(th(limiter))).toBeObservable(cold('s-#', { s }, new Error('defect')));
    expect(next.pipe(th(limiter))).toBeObservable(cold('q-s-o|', { q: queued(0), s, o }));
    expect(next).toHaveSubscriptions('--^--!');
  });

  it('a queued subscription that unsubscribes leaves the queue and never subscribes upstream', () => {
    const limiter = limiterOf({ maxConcurrency: 1 });
    const [a, b, c] = [cold('s---o|', { s, o }), ok(), ok()];
    expect(a.pipe(th(limiter))).toBeObservable(cold('s---o|', { s, o }));
    Scheduler.get().expectObservable(b.pipe(th(limiter)), '^-!').toBe('q', { q: queued(0) });
    expect(c.pipe(th(limiter))).toBeObservable(cold('q---s-o|', { q: queued(1), s, o }));
    expect(b).toHaveNoSubscriptions();
    expect(c).toHaveSubscriptions('----^--!'); // c moved up when b left
  });

  it('grants a burst at once, then one permit per 1/ratePerSecond', () => {
    const limiter = limiterOf({ ratePerSecond: 10, burst: 2 });
    const calls = [ok(), ok(), ok(), ok(), ok()];
    expect(calls[0]!.pipe(th(limiter))).toBeObservable(cold('s-o|', { s, o }));
    expect(calls[1]!.pipe(th(limiter))).toBeObservable(cold('s-o|', { s, o }));
    expect(calls[2]!.pipe(th(limiter))).toBeObservable(cold('q 99ms s-o|', { q: queued(0), s, o }));
    expect(calls[3]!.pipe(th(limiter))).toBeObservable(cold('q 199ms s-o|', { q: queued(1), s, o }));
    expect(calls[4]!.pipe(th(limiter))).toBeObservable(cold('q 299ms s-o|', { q: queued(2), s, o }));
    expect(calls[4]).toHaveSubscriptions('300ms ^--!');
  });

  it('defaults the burst to ratePerSecond', () => {
    const limiter = limiterOf({ ratePerSecond: 3 });
    const calls = [ok(), ok(), ok(), ok()];
    for (const call of calls.slice(0, 3)) expect(call.pipe(th(limiter))).toBeObservable(cold('s-o|', { s, o }));
    expect(calls[3]!.pipe(th(limiter))).toBeObservable(cold('q 333ms s-o|', { q: queued(0), s, o }));
  });

  it('applies concurrency and rate together', () => {
    const limiter = limiterOf({ maxConcurrency: 1, ratePerSecond: 100, burst: 1 }); // a token every 10 ms
    const slowFirst = cold('s-----------------o|', { s, o }); // holds the slot for 18 ms
    const second = ok();
    const third = ok();
    expect(slowFirst.pipe(th(limiter))).toBeObservable(cold('s-----------------o|', { s, o }));
    expect(second.pipe(th(limiter))).toBeObservable(cold('q 17ms s-o|', { q: queued(0), s, o })); // token ready at 10, slot at 18
    expect(third.pipe(th(limiter))).toBeObservable(cold('q 27ms s-o|', { q: queued(1), s, o })); // slot at 20, token at 28
  });

  it('shares one limiter between pipelines of different calls', () => {
    const limiter = limiterOf({ maxConcurrency: 2 });
    const calls = [ok(), ok(), ok()];
    const op = th(limiter);
    expect(calls[0]!.pipe(op)).toBeObservable(cold('s-o|', { s, o }));
    expect(calls[1]!.pipe(th(limiter))).toBeObservable(cold('s-o|', { s, o }));
    expect(calls[2]!.pipe(op)).toBeObservable(cold('q-s-o|', { q: queued(0), s, o }));
  });

  it('inside retryInvocation, each attempt takes a permit and the backoff wait holds none', () => {
    const limiter = limiterOf({ maxConcurrency: 1 });
    const unavailable = serviceError('ServiceUnavailable');
    const failing = cold('s-e|', { s, e: errorEvent(unavailable) });
    const other = cold('s---o|', { s, o });
    const retried = failing.pipe(th(limiter), retryInvocation<AnyInvokeEvent>({ maxAttempts: 2, random: () => 0.5, scheduler: Scheduler.get() }));
    const values: string[] = [];
    retried.subscribe((e) => values.push(`${Scheduler.get().now()}:${e.type}:${e.attempt}`));
    other.pipe(th(limiter)).subscribe((e) => values.push(`${Scheduler.get().now()}:other-${e.type}`));
    Scheduler.get().flush();
    // (the cold source's frame-0 event is scheduled, so other's synchronous queued event comes first)
    // other is queued at 0, gets the permit when attempt 1 fails at 2 (the wait holds none);
    // attempt 2 (at 52) finds the slot free again
    expect(values).toEqual(['0:other-queued', '0:sent:1', '2:retry:1', '2:other-sent', '6:other-response', '52:sent:2', '54:error:2']);
    expect(limiter.state()).toMatchObject({ inFlight: 0, queued: 0, recordedCount: 3 });
  });

  it('records throttles for the limiter, including those carried by retry events', () => {
    const limiter = limiterOf({});
    const throttled = serviceError('ThrottlingException');
    const inner = cold('s-e|', { s, e: errorEvent(throttled) });
    const retried = inner.pipe(retryInvocation<AnyInvokeEvent>({ maxAttempts: 3, random: () => 0, scheduler: Scheduler.get() }), th(limiter));
    retried.subscribe();
    Scheduler.get().flush();
    // two retry events and the final error: three throttles seen from outside the retry
    expect(limiter.state()).toMatchObject({ throttledCount: 3, recordedCount: 3, inFlight: 0 });
  });

  it('emits `queued` only for a subscription that really waits, never after it has started', () => {
    // A refill timer that fires late (a busy event loop): by the time the next subscription
    // arrives the bucket has refilled, and that subscription's acquire drains the queue on the spot.
    let now = 0;
    const timers: Array<() => void> = [];
    const late = {
      now: () => now,
      schedule: (work: () => void) => (timers.push(work), new Subscription()),
    } as unknown as SchedulerLike;
    const limiter = createLimiter({ ratePerSecond: 1, burst: 2, scheduler: late });
    const started = (name: string) => concat(of({ ...s, request: { ...s.request, url: name } }), NEVER);
    const seen: string[] = [];
    const watch = (name: string) => (e: AnyInvokeEvent) => seen.push(`${name}:${e.type}`);
    started('a').pipe(th(limiter)).subscribe(watch('a'));
    started('b').pipe(th(limiter)).subscribe(watch('b')); // the burst of 2
    started('c').pipe(th(limiter)).subscribe(watch('c')); // waits for a token
    now = 5_000; // the refill timer has not run yet
    started('d').pipe(th(limiter)).subscribe(watch('d'));
    timers.splice(0).forEach((fire) => fire());
    expect(seen).toContain('c:queued');
    for (const name of ['a', 'b', 'c', 'd']) {
      const events = seen.filter((x) => x.startsWith(`${name}:`));
      expect([[`${name}:sent`], [`${name}:queued`, `${name}:sent`]]).toContainEqual(events);
    }
    expect(limiter.state()).toMatchObject({ inFlight: 4, queued: 0 });
  });

  it('with a permit free, subscribes at once: no `queued` event, nothing scheduled, the source\'s events as they are', () => {
    let scheduled = 0;
    const counting: SchedulerLike = {
      now: () => Scheduler.get().now(),
      schedule: (...args: Parameters<SchedulerLike['schedule']>) => {
        scheduled += 1;
        return Scheduler.get().schedule(...args);
      },
    } as SchedulerLike;
    const limiter = createLimiter({ maxConcurrency: 2, scheduler: counting });
    const events = [sentEvent(), responseEvent()];
    const seen: AnyInvokeEvent[][] = [[], [], []];
    for (const list of seen) of(...events).pipe(th(limiter)).subscribe((e) => list.push(e));
    for (const list of seen) {
      expect(list).toHaveLength(2);
      list.forEach((e, i) => expect(e).toBe(events[i]));
    }
    expect([scheduled, limiter.state().inFlight, limiter.state().recordedCount]).toEqual([0, 0, 3]);
  });

  it('throws at creation without a limiter', () => {
    expect(() => throttleInvocations(undefined as never)).toThrow(TypeError);
    expect(() => throttleInvocations({} as never)).toThrow('limiter');
  });
});
