/**
 * What `--rate` and `--adaptive` (`limiter-options.ts`) ask for: a fixed-rate limiter, an adaptive
 * mode, or neither.
 */
import { createLimiter, type Limiter } from '../../index.js';
import { ADAPTIVE_MODES, type AdaptiveMode } from '../../node/enrich-defaults.js';
import type { ParsedArgs } from './command.js';
import { choiceOption, numberOption } from './option-values.js';
import { UsageError } from './usage-error.js';

/** The limiter or adaptive mode the options ask for; throws `UsageError` for a combination that does not work. */
export function pacingFromArgs(args: ParsedArgs, command: string): { limiter?: Limiter; adaptive?: AdaptiveMode } {
  const ratePerSecond = numberOption(args, 'rate', { min: 0.001 }, command);
  const adaptive = choiceOption(args, 'adaptive', ADAPTIVE_MODES, command);
  if (ratePerSecond !== undefined && adaptive !== undefined) {
    if (adaptive === 'concurrency') throw new UsageError('--rate and --adaptive=concurrency do not combine; use --adaptive=both with --rate, or one of them', command);
    return { limiter: createLimiter({ ratePerSecond, adaptive: adaptive === 'both' ? { rate: true, concurrency: true } : true }) };
  }
  if (ratePerSecond !== undefined) return { limiter: createLimiter({ ratePerSecond }) };
  return adaptive !== undefined ? { adaptive } : {};
}
