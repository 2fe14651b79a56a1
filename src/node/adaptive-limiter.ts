/**
 * The limiter behind `adaptive`: which algorithm adapts a run to an endpoint that throttles.
 *
 * - `concurrency` (AIMD on calls in flight, capped at `concurrency`): fits the usual SageMaker
 *   endpoint, whose limit is how many requests its model servers handle at once.
 * - `rate` (the AWS SDK adaptive mode's CUBIC on the sending rate): fits a limit in requests per
 *   second (an account quota, an API gateway in front of the endpoint). On a concurrency-capped
 *   endpoint it measures a rate near zero at the first throttle and climbs back slowly.
 * - `both`: the two together, for an endpoint with both kinds of limit.
 */
import { createLimiter, type Limiter } from '../index.js';
import { ADAPTIVE_MODES, type AdaptiveMode } from './enrich-defaults.js';

export { ADAPTIVE_MODES, type AdaptiveMode };

/** A limiter adapting by `mode`, never above `maxConcurrency` calls in flight. */
export function adaptiveLimiter(mode: AdaptiveMode, maxConcurrency: number): Limiter {
  const cap = Number.isFinite(maxConcurrency) ? { maxConcurrency } : {};
  switch (mode) {
    case 'concurrency':
      return createLimiter({ ...cap, adaptive: { rate: false, concurrency: true } });
    case 'rate':
      return createLimiter({ ...cap, adaptive: { rate: true } });
    case 'both':
      return createLimiter({ ...cap, adaptive: { rate: true, concurrency: true } });
    default:
      throw new RangeError(`adaptive must be one of ${ADAPTIVE_MODES.join(', ')}, got ${String(mode)}`);
  }
}
