import { asyncScheduler, NEVER, of, startWith, Subject, VirtualTimeScheduler, type SchedulerLike } from 'rxjs';
import { DeadlineQueue, deadlineQueueFor, type QueuedDeadline } from '../../../src/operators/resilience/deadline-queue.js';
import { timeoutInvocation } from '../../../src/operators/resilience/timeout-invocation.js';
import type { AnyInvokeEvent } from '../../../src/events/invoke-event.js';
import { responseEvent, sentEvent } from '../../../src/testing/event-builders.js';

/** A deadline that logs `name@time` when it expires. */
function deadline(name: string, log: string[], scheduler: { now(): number }): QueuedDeadline {
  return { at: 0, prev: undefined, next: undefined, queue: undefined, expire: () => log.push(`${name}@${scheduler.now()}`) };
}

/** Wraps `scheduler.schedule` to count live actions (scheduled, neither run nor cancelled yet). */
function countLive(target: { schedule: (...args: any[]) => any }): () => number {
  const original = target.schedule.bind(target);
  let live = 0;
  target.schedule = (work: (this: unknown, state?: unknown) => void, delay?: number, state?: unknown) => {
    live += 1;
    let done = false;
    const end = () => {
      if (!done) (done = true), (live -= 1);
    };
    const action = original(
      function (this: unknown, s?: unknown) {
        end();
        return work.call(this, s);
      },
      delay,
      state,
    );
    action.add(end);
    return action;
  };
  return () => live;
}

/** A virtual clock, and a scheduler on it whose actions are counted (the test's own are not). */
function countingScheduler() {
  const virtual = new VirtualTimeScheduler();
  const scheduler = { now: () => virtual.now(), schedule: virtual.schedule.bind(virtual) } as unknown as SchedulerLike;
  const live = countLive(scheduler as never);
  return { virtual, scheduler, live };
}

describe('DeadlineQueue', () => {
  it('fires each deadline at its own time, with one action at a time, whichever are cleared first', () => {
    const { virtual, scheduler, live } = countingScheduler();
    const log: string[] = [];
    let emptied = 0;
    const queue = new DeadlineQueue(scheduler, 10, () => (emptied += 1));
    const a = deadline('a', log, scheduler);
    const b = deadline('b', log, scheduler);
    const c = deadline('c', log, scheduler);
    queue.add(a); // due at 10
    virtual.schedule(() => queue.add(b), 3); // due at 13
    virtual.schedule(() => queue.add(c), 6); // due at 16
    virtual.schedule(() => {
      expect(live()).toBe(1); // three deadlines, one action
      queue.remove(a); // the first goes: its action wakes at 10 for nothing and re-arms for b
    }, 5);
    virtual.flush();
    expect(log).toEqual(['b@13', 'c@16']);
    expect([live(), emptied]).toEqual([0, 1]);
  });

  it('stops its action when the last deadline is cleared, and starts again on the next', () => {
    const { virtual, scheduler, live } = countingScheduler();
    const log: string[] = [];
    const queue = new DeadlineQueue(scheduler, 10, () => undefined);
    const a = deadline('a', log, scheduler);
    queue.add(a);
    queue.remove(a);
    expect(live()).toBe(0);
    virtual.schedule(() => queue.add(a), 20);
    virtual.flush();
    expect(log).toEqual(['a@30']);
    expect(live()).toBe(0);
  });

  it('expires every deadline due at a wake, in order, and arms for one set while expiring', () => {
    const { virtual, scheduler } = countingScheduler();
    const log: string[] = [];
    const queue = new DeadlineQueue(scheduler, 10, () => undefined);
    const later = deadline('later', log, scheduler);
    const a = { ...deadline('a', log, scheduler), expire: () => (log.push(`a@${virtual.now()}`), queue.add(later)) };
    const b = deadline('b', log, scheduler);
    queue.add(a);
    queue.add(b); // same time as a
    virtual.flush();
    expect(log).toEqual(['a@10', 'b@10', 'later@20']);
  });

  it('keeps one queue per scheduler and length; an emptied one is kept for a few lengths, dropped past them', () => {
    const { scheduler } = countingScheduler();
    const q = deadlineQueueFor(scheduler, 10);
    expect(deadlineQueueFor(scheduler, 10)).toBe(q);
    expect(deadlineQueueFor(scheduler, 11)).not.toBe(q);
    const d = deadline('d', [], scheduler);
    q.add(d);
    q.remove(d);
    expect(deadlineQueueFor(scheduler, 10)).toBe(q);
    for (let ms = 100; ms < 140; ms++) deadlineQueueFor(scheduler, ms);
    q.add(d);
    q.remove(d);
    expect(deadlineQueueFor(scheduler, 10)).not.toBe(q);
  });
});

describe('timeoutInvocation on asyncScheduler (real time)', () => {
  it('holds one timer for many calls with the same deadline, none once they end, and still times out the hung one', async () => {
    const schedule = asyncScheduler.schedule;
    const live = countLive(asyncScheduler as never);
    try {
      const ends = Array.from({ length: 5 }, () => new Subject<AnyInvokeEvent>());
      const seen: string[][] = ends.map(() => []);
      const subs = ends.map((end, i) => end.pipe(startWith(sentEvent()), timeoutInvocation<AnyInvokeEvent>(60_000)).subscribe((e) => seen[i]!.push(e.type)));
      expect(live()).toBe(1);
      for (const end of ends) {
        end.next(responseEvent());
        end.complete();
      }
      expect(live()).toBe(0);
      expect(seen).toEqual(ends.map(() => ['sent', 'response']));
      expect(subs.every((s) => s.closed)).toBe(true);

      const hung: string[] = [];
      const started = Date.now();
      await new Promise<void>((done) => NEVER.pipe(startWith(sentEvent()), timeoutInvocation<AnyInvokeEvent>(30)).subscribe({ next: (e) => hung.push(e.type), complete: done }));
      expect(hung).toEqual(['sent', 'error']);
      expect(Date.now() - started).toBeGreaterThanOrEqual(29);
      expect(live()).toBe(0);
    } finally {
      asyncScheduler.schedule = schedule;
    }
  });

  it('passes a quick call through on the default scheduler', () => {
    const seen: string[] = [];
    of(sentEvent(), responseEvent()).pipe(timeoutInvocation<AnyInvokeEvent>({ each: 1000, total: 2000 })).subscribe((e) => seen.push(e.type));
    expect(seen).toEqual(['sent', 'response']);
  });
});
