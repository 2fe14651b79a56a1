/**
 * `--rate` and `--adaptive`: the limiter a run shares across its invocations, or none.
 */
import { createLimiter, type Limiter } from '../index.js';
import type { OptionSpec, ParsedArgs } from './command.js';
import { flagOption, numberOption } from './option-values.js';

/** `--rate N` and `--adaptive`. */
export const LIMITER_OPTIONS: OptionSpec[] = [
  { name: 'rate', type: 'string', value: 'N', description: 'At most N invocations started per second (token bucket).' },
  {
    name: 'adaptive',
    type: 'boolean',
    description: 'Slow down when the endpoint throttles and speed up as calls succeed (AWS SDK adaptive mode).',
  },
];

/** The limiter the options ask for, or undefined when neither `--rate` nor `--adaptive` is given. */
export function limiterFromArgs(args: ParsedArgs, command: string): Limiter | undefined {
  const ratePerSecond = numberOption(args, 'rate', { min: 0.001 }, command);
  const adaptive = flagOption(args, 'adaptive');
  if (ratePerSecond === undefined && !adaptive) return undefined;
  return createLimiter({ ...(ratePerSecond !== undefined ? { ratePerSecond } : {}), ...(adaptive ? { adaptive: true } : {}) });
}
