import { cold, Scheduler } from 'jest-marbles';
import type { SchedulerLike, Subscription } from 'rxjs';
import { timeoutInvocation, type TimeoutInvocationConfig } from '../../../src/operators/resilience/timeout-invocation.js';
import { retryInvocation } from '../../../src/operators/resilience/retry-invocation.js';
import type { AnyInvokeEvent } from '../../../src/events/invoke-event.js';
import { chunkEvent, errorEvent, responseEvent, retryEvent, sentEvent, serviceError } from '../../../src/testing/event-builders.js';

// jest-marbles 4: one frame = 1 virtual ms.

const timedOut = (phase: string, ms: number, attempt: number, timestamp: number, retryable = phase !== 'total') => ({
  type: 'error',
  attempt,
  timestamp,
  error: expect.objectContaining({ name: 'TimeoutError', phase, ms, retryable, throttling: false, $metadata: expect.objectContaining({ attempts: attempt }) }),
});
const unavailable = serviceError('ServiceUnavailable');
const headers = { type: 'headers', attempt: 1, timestamp: 0, output: { $metadata: { httpStatusCode: 200 } } } as const;

/** The test scheduler, recording every timer it is asked for so a test can check none is left running. */
function trackingScheduler(): SchedulerLike & { timers: Subscription[] } {
  const ts = Scheduler.get();
  const timers: Subscription[] = [];
  return {
    timers,
    now: () => ts.now(),
    schedule(work: any, delay?: number, state?: unknown) {
      const sub = ts.schedule(work, delay, state);
      timers.push(sub);
      return sub;
    },
  } as SchedulerLike & { timers: Subscription[] };
}

const op = (config: TimeoutInvocationConfig) => timeoutInvocation<AnyInvokeEvent>({ scheduler: Scheduler.get(), ...config });

describe('timeoutInvocation', () => {
  it('ends an attempt that has no terminal event after `each` ms: unsubscribes upstream and emits a retryable TimeoutError', () => {
    const hung = cold('s 20ms o|', { s: sentEvent(), o: responseEvent() });
    expect(hung.pipe(op({ each: 10 }))).toBeObservable(cold('s 9ms (t|)', { s: sentEvent(), t: timedOut('each', 10, 1, 10) }));
    expect(hung).toHaveSubscriptions('^ 9ms !'); // the upstream subscription (the HTTP request) ends at the deadline
  });

  it('takes a number as the `each` deadline (asyncScheduler, virtualised by the marble run)', () => {
    const hung = cold('s 20ms o|', { s: sentEvent(), o: responseEvent() });
    expect(hung.pipe(timeoutInvocation<AnyInvokeEvent>(5))).toBeObservable(cold('s 4ms (t|)', { s: sentEvent(), t: timedOut('each', 5, 1, 5) }));
    expect(hung).toHaveSubscriptions('^ 4ms !');
  });

  it('passes an invocation that ends in time through unchanged and leaves no timer running', () => {
    const scheduler = trackingScheduler();
    const quick = cold('s-o|', { s: sentEvent(), o: responseEvent() });
    expect(quick.pipe(op({ each: 10, total: 20, idle: 5, scheduler }))).toBeObservable(cold('s-o|', { s: sentEvent(), o: responseEvent() }));
    expect(quick).toHaveSubscriptions('^--!');
    expect(cold('|')).toSatisfyOnFlush(() => {
      expect(scheduler.timers.length).toBeGreaterThanOrEqual(3);
      expect(scheduler.timers.every((t) => t.closed)).toBe(true);
    });
  });

  it('passes the source\'s events on as the same objects', () => {
    const events = [sentEvent(), chunkEvent('x'), responseEvent()];
    const seen: AnyInvokeEvent[] = [];
    cold('s-c-o|', { s: events[0], c: events[1], o: events[2] }).pipe(op({ each: 10, idle: 5 })).subscribe((e) => seen.push(e));
    expect(cold('|')).toSatisfyOnFlush(() => {
      expect(seen).toHaveLength(3);
      seen.forEach((e, i) => expect(e).toBe(events[i]));
    });
  });

  it('passes an error event through as the terminal event', () => {
    const failing = cold('s-e|', { s: sentEvent(), e: errorEvent(unavailable) });
    expect(failing.pipe(op({ each: 10 }))).toBeObservable(cold('s-e|', { s: sentEvent(), e: errorEvent(unavailable) }));
  });

  it('bounds the whole call with `total`, and that TimeoutError is not retryable', () => {
    const slow = cold('s 50ms o|', { s: sentEvent(), o: responseEvent() });
    expect(slow.pipe(op({ total: 30 }))).toBeObservable(cold('s 29ms (t|)', { s: sentEvent(), t: timedOut('total', 30, 1, 30, false) }));
    expect(slow).toHaveSubscriptions('^ 29ms !');
  });

  it('bounds the gap between chunks with `idle`, starting at subscription', () => {
    const stalled = cold('s-h 5ms c 5ms d 30ms o|', { s: sentEvent(), h: headers, c: chunkEvent('a', 0), d: chunkEvent('b', 1), o: responseEvent() });
    expect(stalled.pipe(op({ idle: 10 }))).toBeObservable(
      cold('s-h 5ms c 5ms d 9ms (t|)', { s: sentEvent(), h: headers, c: chunkEvent('a', 0), d: chunkEvent('b', 1), t: timedOut('idle', 10, 1, 24) }),
    );
    expect(stalled).toHaveSubscriptions('^ 23ms !');

    const silent = cold('---------------s|', { s: sentEvent() });
    expect(silent.pipe(op({ idle: 10 }))).toBeObservable(cold('10ms (t|)', { t: timedOut('idle', 10, 1, 10) }));
  });

  it('does not fire `idle` on a stream whose chunks keep coming, however long it lasts', () => {
    const steady = cold('s 7ms a 7ms b 7ms c 7ms d 7ms (o|)', {
      s: sentEvent(),
      a: chunkEvent('a', 0),
      b: chunkEvent('b', 1),
      c: chunkEvent('c', 2),
      d: chunkEvent('d', 3),
      o: responseEvent(),
    });
    const values = { s: sentEvent(), a: chunkEvent('a', 0), b: chunkEvent('b', 1), c: chunkEvent('c', 2), d: chunkEvent('d', 3), o: responseEvent() };
    expect(steady.pipe(op({ idle: 10, each: 100 }))).toBeObservable(cold('s 7ms a 7ms b 7ms c 7ms d 7ms (o|)', values));
  });

  it('inside retryInvocation, bounds each attempt and the timed-out attempt is retried', () => {
    const hung = cold('s 20ms o|', { s: sentEvent(), o: responseEvent() });
    const result = hung.pipe(
      op({ each: 10 }),
      retryInvocation<AnyInvokeEvent>({ maxAttempts: 2, random: () => 0.5, scheduler: Scheduler.get() }),
    );
    expect(result).toBeObservable(
      cold('s 9ms r 49ms t 9ms (f|)', {
        s: sentEvent(1),
        t: sentEvent(2),
        r: expect.objectContaining({ type: 'retry', attempt: 1, delayMs: 50, error: expect.objectContaining({ name: 'TimeoutError', phase: 'each' }) }),
        f: {
          type: 'error',
          attempt: 2,
          timestamp: 70,
          error: expect.objectContaining({ name: 'TimeoutError', phase: 'each', $metadata: { attempts: 2, totalRetryDelay: 50 } }),
        },
      }),
    );
    expect(hung).toHaveSubscriptions(['^ 9ms !', '60ms ^ 9ms !']);
  });

  it('outside retryInvocation, `total` bounds the call including the retry waits and names the attempt reached', () => {
    const failing = cold('s-e|', { s: sentEvent(), e: errorEvent(unavailable) });
    const result = failing.pipe(
      retryInvocation<AnyInvokeEvent>({ maxAttempts: 5, random: () => 0.5, scheduler: Scheduler.get() }),
      op({ total: 100 }),
    );
    // attempt 1 fails at 2 (wait 50), attempt 2 runs 52–54 (wait 100): the deadline falls in the wait
    expect(result).toBeObservable(
      cold('s-a 49ms t-b 45ms (f|)', {
        s: sentEvent(1),
        t: sentEvent(2),
        a: expect.objectContaining({ type: 'retry', attempt: 1, delayMs: 50 }),
        b: expect.objectContaining({ type: 'retry', attempt: 2, delayMs: 100 }),
        f: {
          type: 'error',
          attempt: 2,
          timestamp: 100,
          error: expect.objectContaining({ name: 'TimeoutError', phase: 'total', retryable: false, $metadata: { attempts: 2, totalRetryDelay: 150 } }),
        },
      }),
    );
    expect(failing).toHaveSubscriptions(['^-!', '52ms ^-!']); // no third attempt
  });

  it('outside retryInvocation, names the attempt in flight once the wait is over', () => {
    const events = { s: sentEvent(1), r: retryEvent(unavailable, 10, 1) };
    // a source that is in its second attempt (started at 12) but has not emitted yet
    const source = cold('s-r 30ms |', events);
    expect(source.pipe(op({ total: 20 }))).toBeObservable(
      cold('s-r 17ms (f|)', { ...events, f: timedOut('total', 20, 2, 20, false) }),
    );
  });

  it('outside retryInvocation, restarts `each` and `idle` after a retry wait instead of counting the wait', () => {
    const events = { s: sentEvent(1), r: retryEvent(unavailable, 50, 1), t: sentEvent(2), o: responseEvent('{}', 2) };
    const source = cold('s-r 49ms t-(o|)', events);
    expect(source.pipe(op({ each: 20, idle: 15 }))).toBeObservable(cold('s-r 49ms t-(o|)', events));
  });

  it('stops its timers when unsubscribed before any deadline', () => {
    const scheduler = trackingScheduler();
    const hung = cold('s 50ms o|', { s: sentEvent(), o: responseEvent() });
    Scheduler.get().expectObservable(hung.pipe(op({ each: 30, total: 40, idle: 20, scheduler })), '^ 5ms !').toBe('s', { s: sentEvent() });
    expect(hung).toHaveSubscriptions('^ 5ms !');
    expect(cold('|')).toSatisfyOnFlush(() => expect(scheduler.timers.every((t) => t.closed)).toBe(true));
  });

  it('forwards an error notification (a defect) and clears its timers', () => {
    const scheduler = trackingScheduler();
    const broken = cold('s-#', { s: sentEvent() }, new Error('defect'));
    expect(broken.pipe(op({ each: 10, scheduler }))).toBeObservable(cold('s-#', { s: sentEvent() }, new Error('defect')));
    expect(cold('|')).toSatisfyOnFlush(() => expect(scheduler.timers.every((t) => t.closed)).toBe(true));
  });

  it.each<[string, number | TimeoutInvocationConfig, ErrorConstructor, string]>([
    ['0', 0, RangeError, 'each'],
    ['-1', -1, RangeError, 'each'],
    ['NaN', Number.NaN, RangeError, 'each'],
    ['Infinity', Number.POSITIVE_INFINITY, RangeError, 'each'],
    ['total 0', { total: 0 }, RangeError, 'total'],
    ['idle -5', { idle: -5 }, RangeError, 'idle'],
    ['idle as a string', { idle: '10' as unknown as number }, RangeError, 'idle'],
    ['no deadline', {}, TypeError, 'each, total, idle'],
    ['a string', '10' as unknown as number, TypeError, 'number of ms'],
  ])('throws at creation for %s', (_label, arg, type, mentions) => {
    expect(() => timeoutInvocation(arg as TimeoutInvocationConfig)).toThrow(type);
    expect(() => timeoutInvocation(arg as TimeoutInvocationConfig)).toThrow(mentions);
  });
});
