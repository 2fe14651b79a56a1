import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { wasNotSent } from '../../errors/classification.js';
import type { AnyInvokeEvent } from '../../events/invoke-event.js';
import { createAdaptiveRate, type AdaptiveRate, type AdaptiveRateConfig } from '../../retry/adaptive-rate.js';
import { createLimiterAimd, type LimiterAimd, type LimiterAimdConfig } from '../../retry/aimd-window.js';

/** How `adaptive` reacts to throttling: the AWS SDK CUBIC rate, and optionally AIMD on concurrency. */
export interface AdaptiveLimiterConfig {
  /** CUBIC on the sending rate (AWS SDK adaptive mode); `false` turns it off, an object tunes its constants. @default true */
  rate?: boolean | AdaptiveRateConfig;
  /**
   * AIMD on the number of calls in flight: ×β on a throttle, +1 per window of successes. Suits an
   * endpoint whose limit is concurrent requests (a model server's worker count).
   * @default false
   */
  concurrency?: boolean | LimiterAimdConfig;
}

/** Options of `createLimiter`. With none, every permit is granted at once. */
export interface CreateLimiterConfig {
  /** Most invocations in flight at once (holding a permit). @default unlimited */
  maxConcurrency?: number;
  /** Permits granted per second, on average (a token bucket). @default unlimited */
  ratePerSecond?: number;
  /** Token bucket capacity: permits that may be granted at once after a quiet period. @default max(1, ratePerSecond) */
  burst?: number;
  /**
   * Adapt to throttling: `true` is the AWS SDK adaptive mode's CUBIC on the rate;
   * an object chooses CUBIC on the rate and/or AIMD on concurrency. Fixed limits stay upper bounds.
   * @default false
   */
  adaptive?: boolean | AdaptiveLimiterConfig;
  /** Runs the token refill timer and reads the time. @default asyncScheduler */
  scheduler?: SchedulerLike;
}

/** A snapshot of a limiter, for logging. */
export interface LimiterState {
  /** Permits held now. */
  inFlight: number;
  /** Invocations waiting for a permit. */
  queued: number;
  /** The rate in force now (the adaptive one when it applies), per second; `undefined`: unlimited. */
  ratePerSecond: number | undefined;
  /** The concurrency cap in force now (the adaptive one when it applies); `undefined`: unlimited. */
  maxConcurrency: number | undefined;
  /** Throttling errors recorded since creation. */
  throttledCount: number;
  /** Terminal events recorded since creation. */
  recordedCount: number;
  /** The adaptive rate's smoothed measurement of the response rate, per second (0 when not adaptive). */
  measuredRatePerSecond: number;
}

/** A granted permit. Releasing it twice is harmless. */
export interface LimiterPermit {
  release(): void;
}

/** The answer to `limiter.acquire`. */
export interface LimiterTicket {
  /** True when the permit was granted at once (before `acquire` returned). */
  readonly granted: boolean;
  /** Invocations ahead in the queue when this one joined it (0 when granted at once). */
  readonly position: number;
  /** Leaves the queue; `onGranted` will not be called. No effect once granted. */
  cancel(): void;
}

/**
 * A permit dispenser shared by any number of pipelines: a FIFO queue in front of a concurrency
 * cap and a token bucket, optionally adapting to throttling. `throttleInvocations(limiter)` is how
 * pipelines use it.
 */
export interface Limiter {
  /** Asks for a permit: `onGranted` runs once one is free — synchronously, before returning, when one is free now. */
  acquire(onGranted: (permit: LimiterPermit) => void): LimiterTicket;
  /**
   * Feeds the outcome of one attempt (a terminal event, or a `retry` event's error) to the
   * adaptive state. Called by `throttleInvocations`; other events are ignored.
   */
  record(event: AnyInvokeEvent): void;
  /** The current state, for logging. */
  state(): LimiterState;
  /** The scheduler the limiter runs on. */
  readonly scheduler: SchedulerLike;
}

/** The ticket of a permit granted inside `acquire`: nothing to cancel, so one object serves every call. */
const GRANTED_AT_ONCE: LimiterTicket = Object.freeze({ granted: true, position: 0, cancel: () => undefined });

/** Slack for float error in the token count (e.g. 0.9999999999 tokens after exactly 1/rate s). */
const TOKEN_EPSILON = 1e-9;

interface Waiter {
  onGranted: (permit: LimiterPermit) => void;
  /** Set when the permit is handed over, which may happen inside the `acquire` that queued it. */
  granted?: true;
}

function positiveNumber(name: string, value: unknown, integer: boolean): void {
  const ok = typeof value === 'number' && Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value));
  if (!ok) throw new RangeError(`createLimiter: ${name} must be a finite ${integer ? 'integer' : 'number'} > 0, got ${String(value)}`);
}

/**
 * Creates a limiter: a FIFO queue; a permit is a concurrency slot (when `maxConcurrency` is set)
 * and a token (when `ratePerSecond` is set, or once `adaptive` has seen a throttle). Share one
 * limiter between every pipeline that calls the same endpoint.
 *
 * @example
 * ```ts
 * import { createLimiter, throttleInvocations } from 'sagemaker-rx';
 * const limiter = createLimiter({ maxConcurrency: 8, ratePerSecond: 50, adaptive: true });
 * client.invokeEndpoint$(input).pipe(throttleInvocations(limiter)).subscribe();
 * setInterval(() => console.log(limiter.state()), 5_000); // { inFlight: 8, queued: 112, ratePerSecond: 50, … }
 * ```
 */
export function createLimiter(config: CreateLimiterConfig = {}): Limiter {
  if (config === null || typeof config !== 'object') throw new TypeError(`createLimiter: config must be an object, got ${String(config)}`);
  const { maxConcurrency, ratePerSecond, burst, adaptive = false, scheduler = asyncScheduler } = config;
  if (maxConcurrency !== undefined) positiveNumber('maxConcurrency', maxConcurrency, true);
  if (ratePerSecond !== undefined) positiveNumber('ratePerSecond', ratePerSecond, false);
  if (burst !== undefined) {
    positiveNumber('burst', burst, false);
    if (burst < 1) throw new RangeError(`createLimiter: burst must be >= 1, got ${burst}`);
  }
  if (typeof adaptive !== 'boolean' && (adaptive === null || typeof adaptive !== 'object')) {
    throw new TypeError(`createLimiter: adaptive must be a boolean or an object, got ${String(adaptive)}`);
  }
  if (!scheduler || typeof scheduler.schedule !== 'function' || typeof scheduler.now !== 'function') {
    throw new TypeError('createLimiter: scheduler must be a SchedulerLike');
  }
  const adaptiveConfig: AdaptiveLimiterConfig = adaptive === true ? { rate: true } : adaptive === false ? {} : adaptive;
  const rateOption = adaptiveConfig.rate ?? (adaptive === false ? false : true);
  const concurrencyOption = adaptiveConfig.concurrency ?? false;
  const cubic: AdaptiveRate | undefined = rateOption
    ? createAdaptiveRate(scheduler.now(), rateOption === true ? {} : rateOption)
    : undefined;
  const aimd: LimiterAimd | undefined = concurrencyOption
    ? createLimiterAimd({ ...(concurrencyOption === true ? {} : concurrencyOption), maxConcurrency })
    : undefined;

  const fixedCapacity = burst ?? (ratePerSecond === undefined ? undefined : Math.max(1, ratePerSecond));
  let inFlight = 0;
  let throttledCount = 0;
  let recordedCount = 0;
  const queue: Waiter[] = [];
  let tokens = fixedCapacity ?? 0; // a fresh limiter allows a burst
  let lastRefill = scheduler.now();
  let refillTimer: Subscription | undefined;
  let draining = false;
  let drainAgain = false;

  /** The rate and capacity of the token bucket now; `undefined` rate: no bucket. */
  const bucket = (): { rate: number | undefined; capacity: number } => {
    const adaptiveOn = cubic?.enabled === true;
    if (ratePerSecond === undefined && !adaptiveOn) return { rate: undefined, capacity: Number.POSITIVE_INFINITY };
    const rate = Math.min(ratePerSecond ?? Number.POSITIVE_INFINITY, adaptiveOn ? cubic.fillRate : Number.POSITIVE_INFINITY);
    const capacity = Math.min(fixedCapacity ?? Number.POSITIVE_INFINITY, adaptiveOn ? cubic.capacity : Number.POSITIVE_INFINITY);
    return { rate, capacity };
  };
  const concurrencyCap = (): number | undefined => (aimd ? aimd.limit : maxConcurrency);

  const refill = (): void => {
    const now = scheduler.now();
    const { rate, capacity } = bucket();
    if (rate !== undefined) tokens = Math.min(capacity, tokens + (Math.max(0, now - lastRefill) / 1000) * rate);
    lastRefill = now;
  };

  const drain = (): void => {
    if (draining) {
      drainAgain = true;
      return;
    }
    draining = true;
    try {
      do {
        drainAgain = false;
        refillTimer?.unsubscribe();
        refillTimer = undefined;
        while (queue.length > 0) {
          const cap = concurrencyCap();
          if (cap !== undefined && inFlight >= cap) break; // a release will drain again
          refill();
          const { rate } = bucket();
          if (rate !== undefined && tokens < 1 - TOKEN_EPSILON) {
            const waitMs = Math.max(1, Math.ceil(((1 - tokens) / rate) * 1000));
            refillTimer = scheduler.schedule(() => {
              refillTimer = undefined;
              drain();
            }, waitMs);
            break;
          }
          const waiter = queue.shift()!;
          grant(waiter);
        }
      } while (drainAgain);
    } finally {
      draining = false;
    }
  };

  /** Gives a permit back: once per permit. */
  const giveBack = (): void => {
    inFlight -= 1;
    if (queue.length > 0 || refillTimer !== undefined) drain(); // with nobody waiting, there is nothing to hand over
  };

  const take = (): LimiterPermit => {
    inFlight += 1;
    if (hasBucket()) tokens = Math.max(0, tokens - 1);
    let released = false;
    // A closure, not a method using `this`: `const { release } = permit` keeps working.
    return {
      release() {
        if (released) return;
        released = true;
        giveBack();
      },
    };
  };

  const grant = (waiter: Waiter): void => {
    waiter.granted = true;
    waiter.onGranted(take());
  };

  /** Whether a token bucket applies now (a fixed rate, or an adaptive one once it has seen a throttle). */
  const hasBucket = (): boolean => ratePerSecond !== undefined || cubic?.enabled === true;

  const canGrantNow = (): boolean => {
    if (queue.length > 0) return false; // FIFO: the queue goes first
    const cap = concurrencyCap();
    if (cap !== undefined && inFlight >= cap) return false;
    if (!hasBucket()) return true;
    refill();
    return tokens >= 1 - TOKEN_EPSILON;
  };

  return {
    scheduler,
    acquire(onGranted) {
      if (typeof onGranted !== 'function') throw new TypeError('limiter.acquire: onGranted must be a function');
      if (canGrantNow()) {
        onGranted(take());
        return GRANTED_AT_ONCE;
      }
      const waiter: Waiter = { onGranted };
      const position = queue.length;
      queue.push(waiter);
      // Arms the refill timer when only a token is missing, and may grant this very waiter (the
      // clock moved on, or a late refill timer has not run yet): then the ticket must say so.
      drain();
      if (waiter.granted) return GRANTED_AT_ONCE;
      return {
        granted: false,
        position,
        cancel() {
          const i = queue.indexOf(waiter);
          if (i === -1) return;
          queue.splice(i, 1);
          drain(); // re-arms or clears the refill timer for the new head
        },
      };
    },
    record(event) {
      let throttling: boolean;
      if (event.type === 'response' || event.type === 'accepted') throttling = false;
      else if (event.type === 'error' || event.type === 'retry') {
        if (wasNotSent(event.error)) return;
        throttling = event.error.throttling === true;
      } else return;
      recordedCount += 1;
      if (throttling) throttledCount += 1;
      if (!cubic && !aimd) return;
      refill(); // tokens earned so far accrue at the old rate
      cubic?.record(throttling, scheduler.now());
      aimd?.record(throttling);
      const { capacity } = bucket();
      tokens = Math.min(tokens, capacity);
      if (queue.length > 0) drain(); // the rate or the cap may have risen
    },
    state() {
      refill();
      return {
        inFlight,
        queued: queue.length,
        ratePerSecond: bucket().rate,
        maxConcurrency: concurrencyCap(),
        throttledCount,
        recordedCount,
        measuredRatePerSecond: cubic?.measuredRate ?? 0,
      };
    },
  };
}
