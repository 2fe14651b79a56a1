/**
 * The client's signing clock, corrected from the service's `Date` header as the AWS SDKs do: when
 * a response's `Date` is more than 5 minutes from the local clock plus the current offset, the
 * offset becomes their difference, so the next signature carries the service's time. The clock is
 * read through a transport wrapper, so every operation and both the Observables and the Promise
 * twins see the same correction.
 */
import type { Transport } from '../transport/transport.js';

/** The service's allowed skew (SigV4): past it, a signature is refused. */
export const CLOCK_SKEW_THRESHOLD_MS = 300_000;

/** A signing clock: the local clock plus an offset learnt from the service. */
export interface SigningClock {
  /** Ms to add to the local clock; 0 until a response says otherwise. */
  readonly offsetMs: number;
  /** The date to sign with now. */
  now(): Date;
  /** Feeds a response's `Date` header; returns true when it changed the offset. */
  observe(dateHeader: string | undefined): boolean;
}

/** Creates a signing clock over `local` (the wall clock by default). */
export function createSigningClock(local: () => Date = () => new Date()): SigningClock {
  let offsetMs = 0;
  return {
    get offsetMs() {
      return offsetMs;
    },
    now: () => new Date(local().getTime() + offsetMs),
    observe(dateHeader) {
      if (!dateHeader) return false;
      const server = Date.parse(dateHeader);
      if (!Number.isFinite(server)) return false;
      const localMs = local().getTime();
      if (Math.abs(localMs + offsetMs - server) < CLOCK_SKEW_THRESHOLD_MS) return false;
      offsetMs = server - localMs;
      return true;
    },
  };
}

/** Wraps a transport so that every response's `Date` header feeds `clock`. */
export function observingClock(transport: Transport, clock: SigningClock): Transport {
  return {
    async send(request) {
      const response = await transport.send(request);
      clock.observe(response.headers.date);
      return response;
    },
    destroy: () => transport.destroy(),
  };
}
