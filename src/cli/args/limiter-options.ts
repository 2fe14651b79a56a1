/**
 * `--rate` and `--adaptive[=concurrency|rate|both]`: how a run paces itself against the endpoint.
 */
import { createLimiter, type Limiter } from '../../index.js';
import { ADAPTIVE_MODES, type AdaptiveMode } from '../../node/index.js';
import type { OptionSpec, ParsedArgs } from './command.js';
import { choiceOption, numberOption } from './option-values.js';
import { UsageError } from './usage-error.js';

/** `--rate N` and `--adaptive[=mode]`. */
export const LIMITER_OPTIONS: OptionSpec[] = [
  { name: 'rate', type: 'string', value: 'N', description: 'At most N invocations started per second (token bucket).' },
  {
    name: 'adaptive',
    type: 'string',
    value: ADAPTIVE_MODES.join('|'),
    bareValue: 'concurrency',
    choices: ADAPTIVE_MODES,
    description:
      'Adapt to throttling: concurrency = AIMD on calls in flight (most endpoints), rate = CUBIC on the request rate (rate quotas), both.',
    default: 'off; bare --adaptive = concurrency',
  },
];

/** What the options ask for: a fixed-rate limiter, an adaptive mode, or neither. */
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
