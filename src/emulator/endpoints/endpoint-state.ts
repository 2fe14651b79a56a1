/**
 * The run-time state of one endpoint: its configuration, its own seeded RNG stream, its
 * counters, and the admission check (concurrency cap and sliding one-second rate window).
 */
import { createRandom, hashString, type Random } from './prng.js';
import type { EndpointConfig, EndpointStats } from '../types.js';

/** Why a request was not admitted. */
export type AdmissionRefusal = 'concurrency' | 'rate';

const RATE_WINDOW_MS = 1_000;

/** One endpoint's configuration, RNG and counters. */
export class EndpointState {
  config: EndpointConfig;
  random: Random;
  readonly stats: EndpointStats = { inFlight: 0, maxInFlight: 0, total: 0, throttled: 0 };
  /** Admission times within the last rate window, oldest first. */
  private admitted: number[] = [];

  constructor(
    readonly name: string,
    config: EndpointConfig,
    private readonly seed: number,
  ) {
    this.config = config;
    this.random = createRandom(this.seed ^ hashString(name));
  }

  /** Admits a request (counting it in flight) or says why it is refused. */
  admit(now: number): AdmissionRefusal | undefined {
    const faults = this.config.faults;
    if (faults === undefined) return this.countAdmitted();
    if (faults.maxConcurrency !== undefined && this.stats.inFlight >= faults.maxConcurrency) return 'concurrency';
    if (faults.maxRatePerSecond !== undefined) {
      while (this.admitted.length > 0 && this.admitted[0]! <= now - RATE_WINDOW_MS) this.admitted.shift();
      if (this.admitted.length >= faults.maxRatePerSecond) return 'rate';
      this.admitted.push(now);
    }
    return this.countAdmitted();
  }

  private countAdmitted(): undefined {
    this.stats.inFlight += 1;
    if (this.stats.inFlight > this.stats.maxInFlight) this.stats.maxInFlight = this.stats.inFlight;
    return undefined;
  }

  /** Releases an admitted request. */
  release(): void {
    this.stats.inFlight = Math.max(0, this.stats.inFlight - 1);
  }

  /** Zeroes the counters (keeping those in flight), forgets the rate window and re-seeds the RNG. */
  reset(): void {
    this.stats.total = 0;
    this.stats.throttled = 0;
    this.stats.maxInFlight = this.stats.inFlight;
    this.admitted = [];
    this.random = createRandom(this.seed ^ hashString(this.name));
  }
}
