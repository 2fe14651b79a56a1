/**
 * Deadlines of one length on one scheduler, with one scheduled action for all of them. Set at
 * `now + ms` with the same `ms`, they fall due in the order they were set, so they form a FIFO
 * list: setting one appends it, clearing one unlinks it, and only the first has a timer. A call
 * that ends in time then costs two pointer updates instead of a timer set and cleared (with
 * `asyncScheduler`, an `AsyncAction` and a Node `Timeout` per call).
 *
 * A deadline still fires at its own time, never earlier: when the first is cleared, the action
 * wakes at the old time, finds nothing due and re-arms for the new first. With nothing left to
 * wait for, the action is cancelled, so an idle process is not kept alive. The order holds while
 * the scheduler's clock does not go back; if the wall clock is set back, a deadline set after it
 * may wait behind earlier ones, by at most the step.
 */
import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';

/** One deadline in a queue: linked in place, so setting and clearing it allocate nothing. */
export interface QueuedDeadline {
  /** When it falls due, on the queue's scheduler clock; set by `add`. */
  at: number;
  prev: QueuedDeadline | undefined;
  next: QueuedDeadline | undefined;
  /** The queue it waits in, while it waits. */
  queue: DeadlineQueue | undefined;
  /** Runs when it falls due, after it left the queue. */
  expire(): void;
}

/** The action's work: the queue is its state, so no closure is made per wake-up. */
function wake(this: SchedulerAction<DeadlineQueue>, queue?: DeadlineQueue): void {
  queue!.wake();
}

export class DeadlineQueue {
  private first: QueuedDeadline | undefined;
  private last: QueuedDeadline | undefined;
  private action: Subscription | undefined;
  /** `wake` is expiring deadlines: it arms the action for the first one left when it is done. */
  private waking = false;

  constructor(
    private readonly scheduler: SchedulerLike,
    readonly ms: number,
    /** Called when the queue empties, so its owner can forget it. */
    private readonly onEmpty: (queue: DeadlineQueue) => void,
  ) {}

  /** Sets `deadline` to fall due `ms` from now. It must not be in a queue. */
  add(deadline: QueuedDeadline): void {
    deadline.at = this.scheduler.now() + this.ms;
    deadline.queue = this;
    deadline.next = undefined;
    deadline.prev = this.last;
    if (this.last === undefined) this.first = deadline;
    else this.last.next = deadline;
    this.last = deadline;
    // Outside `wake`, a queue that has deadlines has its action: only the first one arms it.
    if (this.action === undefined && !this.waking) this.arm(this.ms);
  }

  /** Clears `deadline`, which is in this queue. */
  remove(deadline: QueuedDeadline): void {
    this.unlink(deadline);
    if (this.first === undefined) this.stop();
  }

  /** The action ran: expires what is due, in order, and waits for the next. */
  wake(): void {
    this.action = undefined;
    const now = this.scheduler.now();
    this.waking = true;
    try {
      let due = this.first;
      while (due !== undefined && due.at <= now) {
        this.unlink(due);
        due.expire(); // may set new deadlines here: they are later than now
        due = this.first;
      }
    } finally {
      this.waking = false;
    }
    if (this.first === undefined) this.stop();
    else if (this.action === undefined) this.arm(this.first.at - now);
  }

  private arm(delay: number): void {
    this.action = this.scheduler.schedule(wake, Math.max(0, delay), this);
  }

  private stop(): void {
    this.action?.unsubscribe();
    this.action = undefined;
    this.onEmpty(this);
  }

  private unlink(deadline: QueuedDeadline): void {
    const { prev, next } = deadline;
    if (prev === undefined) this.first = next;
    else prev.next = next;
    if (next === undefined) this.last = prev;
    else next.prev = prev;
    deadline.prev = undefined;
    deadline.next = undefined;
    deadline.queue = undefined;
  }
}

/** The queues of each scheduler, by length. */
const queues = new WeakMap<SchedulerLike, Map<number, DeadlineQueue>>();
/**
 * Emptied queues are kept for reuse (one call at a time then makes no queue per call) while a
 * scheduler has at most this many lengths; past it, an emptied queue is dropped, so deadlines
 * computed per call cannot grow the map without bound.
 */
const KEPT_LENGTHS = 32;

/** The queue of deadlines of `ms` on `scheduler`, made on first use. */
export function deadlineQueueFor(scheduler: SchedulerLike, ms: number): DeadlineQueue {
  let byMs = queues.get(scheduler);
  if (byMs === undefined) queues.set(scheduler, (byMs = new Map()));
  let queue = byMs.get(ms);
  if (queue === undefined) {
    const owner = byMs;
    queue = new DeadlineQueue(scheduler, ms, (empty) => {
      if (owner.size > KEPT_LENGTHS && owner.get(ms) === empty) owner.delete(ms);
    });
    byMs.set(ms, queue);
  }
  return queue;
}
