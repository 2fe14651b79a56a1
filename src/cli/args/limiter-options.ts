/**
 * `--rate` and `--adaptive[=concurrency|rate|both]`: how a run paces itself against the endpoint.
 * The option table only: what the values build is in `pacing-from-args.ts`, loaded when a command runs.
 */
import { ADAPTIVE_MODES } from '../../node/enrich-defaults.js';
import type { OptionSpec } from './command.js';

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
