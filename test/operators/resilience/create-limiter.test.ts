import { cold, Scheduler } from 'jest-marbles';
import type { SchedulerLike, Subscription } from 'rxjs';
import { createLimiter, type CreateLimiterConfig, type LimiterPermit } from '../../../src/operators/resilience/create-limiter.js';
import { createLimiterAimd } from '../../../src/retry/aimd-window.js';
import { errorEvent, responseEvent, retryEvent, sentEvent, serviceError } from '../../../src/testing/event-builders.js';
import { InvalidRequestError } from '../../../src/errors/client-errors.js';

const throttled = errorEvent(serviceError('ThrottlingException'));
const ok = responseEvent();

/** The test scheduler, recording every timer so a test can check none is left pending (neither fired nor cancelled). */
function trackingScheduler(): SchedulerLike & { timers: Subscription[]; pending: () => number } {
  const ts = Scheduler.get();
  const timers: Array<{ sub: Subscription; fired: boolean }> = [];
  return {
    get timers() {
      return timers.map((t) => t.sub);
    },
    pending: () => timers.filter((t) => !t.fired && !t.sub.closed).length,
    now: () => ts.now(),
    schedule(work: any, delay?: number, state?: unknown) {
      const entry = { sub: undefined as unknown as Subscription, fired: false };
      entry.sub = ts.schedule(function (this: unknown, s?: unknown) {
        entry.fired = true;
        work.call(this, s);
      }, delay, state);
      timers.push(entry);
      return entry.sub;
    },
  } as SchedulerLike & { timers: Subscription[]; pending: () => number };
}

/** Runs `fn` at virtual time `ms` of the test scheduler. */
const at = (ms: number, fn: () => void) => Scheduler.get().schedule(fn, ms);

describe('createLimiter', () => {
  it('grants every permit at once when it has no limits', () => {
    const limiter = createLimiter({ scheduler: Scheduler.get() });
    const tickets = Array.from({ length: 100 }, () => limiter.acquire(() => undefined));
    expect(tickets.every((t) => t.granted)).toBe(true);
    expect(limiter.state()).toMatchObject({ inFlight: 100, queued: 0, ratePerSecond: undefined, maxConcurrency: undefined });
  });

  it('queues beyond maxConcurrency and grants in order as permits are released', () => {
    const limiter = createLimiter({ maxConcurrency: 2, scheduler: Scheduler.get() });
    const permits: LimiterPermit[] = [];
    const order: string[] = [];
    const ask = (name: string) => limiter.acquire((p) => (order.push(name), permits.push(p)));
    const tickets = ['a', 'b', 'c', 'd'].map(ask);
    expect(tickets.map((t) => [t.granted, t.position])).toEqual([
      [true, 0],
      [true, 0],
      [false, 0],
      [false, 1],
    ]);
    expect(limiter.state()).toMatchObject({ inFlight: 2, queued: 2, maxConcurrency: 2 });
    permits[1]!.release();
    permits[1]!.release(); // twice is harmless
    expect(order).toEqual(['a', 'b', 'c']);
    expect(limiter.state()).toMatchObject({ inFlight: 2, queued: 1 });
    tickets[3]!.cancel();
    permits[0]!.release();
    expect(order).toEqual(['a', 'b', 'c']);
    expect(limiter.state()).toMatchObject({ inFlight: 1, queued: 0 });
  });

  it('refills tokens at ratePerSecond up to burst, and stops its timer once the queue is empty', () => {
    const scheduler = trackingScheduler();
    const limiter = createLimiter({ ratePerSecond: 4, burst: 2, scheduler });
    const grantedAt: number[] = [];
    const ask = () => limiter.acquire((p) => (grantedAt.push(scheduler.now()), p.release()));
    at(0, () => {
      for (let i = 0; i < 5; i += 1) ask();
    });
    at(2000, () => {
      for (let i = 0; i < 3; i += 1) ask(); // a quiet 1.25 s refilled the bucket to its 2 tokens
    });
    expect(cold('|')).toSatisfyOnFlush(() => {
      expect(grantedAt).toEqual([0, 0, 250, 500, 750, 2000, 2000, 2250]);
      expect(scheduler.timers.length).toBeGreaterThan(0);
      expect(scheduler.pending()).toBe(0);
    });
  });

  it('a cancelled ticket leaves no timer behind', () => {
    const scheduler = trackingScheduler();
    const limiter = createLimiter({ ratePerSecond: 1, scheduler });
    limiter.acquire(() => undefined);
    const waiting = limiter.acquire(() => {
      throw new Error('must not be granted');
    });
    expect(waiting.granted).toBe(false);
    expect(scheduler.pending()).toBe(1);
    waiting.cancel();
    expect(scheduler.pending()).toBe(0);
    expect(limiter.state().queued).toBe(0);
  });

  it('records terminal events and retry errors, ignoring events and errors that were never sent', () => {
    const limiter = createLimiter({ scheduler: Scheduler.get() });
    limiter.record(sentEvent());
    limiter.record(ok);
    limiter.record(throttled);
    limiter.record(retryEvent(serviceError('ThrottlingException'), 100));
    limiter.record(errorEvent(serviceError('ServiceUnavailable')));
    limiter.record(errorEvent(new InvalidRequestError({ member: 'EndpointName', rule: 'at most 63 characters' })));
    expect(limiter.state()).toMatchObject({ throttledCount: 2, recordedCount: 4 });
  });

  it('adaptive: stays unlimited until the first throttle, then limits the rate to β × the measured rate', () => {
    const limiter = createLimiter({ adaptive: true, scheduler: Scheduler.get() });
    const states: Array<ReturnType<typeof limiter.state>> = [];
    for (let t = 50; t <= 2000; t += 50) at(t, () => limiter.record(ok)); // 20 responses/s
    at(2001, () => states.push(limiter.state()));
    at(2050, () => limiter.record(throttled));
    at(2051, () => states.push(limiter.state()));
    expect(cold('|')).toSatisfyOnFlush(() => {
      expect(states[0]).toMatchObject({ ratePerSecond: undefined, throttledCount: 0, measuredRatePerSecond: 19.968 });
      expect(states[1]).toMatchObject({ ratePerSecond: 13.9776, throttledCount: 1 });
    });
  });

  it('adaptive: after a throttle, spaces permits at the adaptive rate, and the rate recovers as calls succeed', () => {
    const limiter = createLimiter({ adaptive: true, scheduler: Scheduler.get() });
    for (let t = 50; t <= 2000; t += 50) at(t, () => limiter.record(ok));
    at(2050, () => limiter.record(throttled));
    const grantedAt: number[] = [];
    const rates: number[] = [];
    // a client that always has work: each permit, once granted, completes successfully 10 ms later
    const ask = (): void => {
      limiter.acquire((p) => {
        grantedAt.push(Scheduler.get().now());
        at(10, () => {
          limiter.record(ok);
          rates.push(limiter.state().ratePerSecond!);
          p.release();
          if (Scheduler.get().now() < 8000) ask();
        });
      });
    };
    at(2050, () => {
      for (let i = 0; i < 4; i += 1) ask();
    });
    expect(cold('|')).toSatisfyOnFlush(() => {
      const early = grantedAt.filter((t) => t >= 2100 && t < 3100).length;
      const late = grantedAt.filter((t) => t >= 7000 && t < 8000).length;
      // CUBIC starts at β × 19.968 = 13.98/s and climbs back towards 19.968/s over K ≈ 2.46 s
      expect(early).toBeGreaterThanOrEqual(13);
      expect(early).toBeLessThan(20);
      expect(late).toBeGreaterThan(20); // past K the curve probes above the pre-throttle rate
      expect(rates.at(-1)!).toBeGreaterThan(19.968);
    });
  });

  it('adaptive with a fixed rate: the fixed rate stays the upper bound', () => {
    const limiter = createLimiter({ adaptive: true, ratePerSecond: 5, scheduler: Scheduler.get() });
    for (let t = 50; t <= 2000; t += 50) at(t, () => limiter.record(ok));
    at(2050, () => limiter.record(throttled)); // CUBIC says 13.98/s
    const seen: Array<number | undefined> = [];
    at(2051, () => seen.push(limiter.state().ratePerSecond));
    expect(cold('|')).toSatisfyOnFlush(() => expect(seen).toEqual([5]));
  });

  it('adaptive concurrency (AIMD): shrinks the cap ×0.7 on a throttle, once per window, and grows it back on successes', () => {
    const limiter = createLimiter({ maxConcurrency: 20, adaptive: { rate: false, concurrency: { windowsPerIncrease: 2 } }, scheduler: Scheduler.get() });
    expect(limiter.state().maxConcurrency).toBe(20);
    limiter.record(throttled);
    expect(limiter.state().maxConcurrency).toBe(14);
    limiter.record(throttled); // a call of the same window: no second decrease
    expect(limiter.state().maxConcurrency).toBe(14);
    for (let i = 0; i < 14; i += 1) limiter.record(ok);
    limiter.record(throttled);
    expect(limiter.state().maxConcurrency).toBe(10); // (14 + 14 × ~1/28) × 0.7 = 10.15
    for (let i = 0; i < 400; i += 1) limiter.record(ok); // +1 per 2 windows: ~10 → 20 in ~300 successes
    expect(limiter.state().maxConcurrency).toBe(20); // never above maxConcurrency
    expect(limiter.state().ratePerSecond).toBeUndefined(); // rate adaptation off
  });

  it('adaptive concurrency holds new calls in the queue beyond the shrunk cap', () => {
    const limiter = createLimiter({ maxConcurrency: 10, adaptive: { rate: false, concurrency: true }, scheduler: Scheduler.get() });
    const permits: LimiterPermit[] = [];
    for (let i = 0; i < 10; i += 1) limiter.acquire((p) => permits.push(p));
    limiter.record(throttled); // cap 7
    permits.pop()!.release(); // 9 in flight: still above the cap
    const waiting = limiter.acquire((p) => permits.push(p));
    expect(waiting.granted).toBe(false);
    permits.pop()!.release();
    permits.pop()!.release();
    expect(limiter.state()).toMatchObject({ inFlight: 7, queued: 1 });
    permits.pop()!.release();
    expect(limiter.state()).toMatchObject({ inFlight: 7, queued: 0 });
  });

  it.each<[string, CreateLimiterConfig, ErrorConstructor]>([
    ['maxConcurrency', { maxConcurrency: 0 }, RangeError],
    ['maxConcurrency', { maxConcurrency: 1.5 }, RangeError],
    ['ratePerSecond', { ratePerSecond: -1 }, RangeError],
    ['ratePerSecond', { ratePerSecond: Number.NaN }, RangeError],
    ['burst', { ratePerSecond: 5, burst: 0.5 }, RangeError],
    ['burst', { burst: Number.POSITIVE_INFINITY }, RangeError],
    ['adaptive', { adaptive: 'yes' as never }, TypeError],
    ['adaptive.concurrency.beta', { adaptive: { concurrency: { beta: 1.2 } } }, RangeError],
    ['scaleConstant', { adaptive: { rate: { scaleConstant: 0 } } }, RangeError],
    ['scheduler', { scheduler: {} as SchedulerLike }, TypeError],
  ])('throws at creation for a bad %s', (name, config, type) => {
    expect(() => createLimiter(config)).toThrow(type);
    expect(() => createLimiter(config)).toThrow(name);
  });
});

describe('createLimiterAimd', () => {
  it('defaults to +1 per 8 windows of successes', () => {
    const aimd = createLimiterAimd({ initial: 4 });
    for (let i = 0; i < 35; i += 1) aimd.record(false);
    expect(aimd.limit).toBe(4); // Σ 1 / (w × 8) over 35 successes (8 windows of ~4.5): 4.978
    aimd.record(false);
    expect(aimd.limit).toBe(5);
  });

  it('adds one per windowsPerIncrease windows of successes', () => {
    const aimd = createLimiterAimd({ initial: 4, windowsPerIncrease: 1 });
    for (let i = 0; i < 4; i += 1) aimd.record(false);
    expect(aimd.limit).toBe(4); // 4 + 4 × ~1/4.x: just under 5
    aimd.record(false);
    expect(aimd.limit).toBe(5);
  });

  it('never goes below min', () => {
    const aimd = createLimiterAimd({ initial: 2, min: 2 });
    for (let i = 0; i < 5; i += 1) {
      aimd.record(true);
      aimd.record(false);
      aimd.record(false);
    }
    expect(aimd.limit).toBe(2);
  });
});
