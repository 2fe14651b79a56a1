/**
 * The options of `enrich --nats` (the command as one JetStream worker) and the check that picks
 * that mode; the worker itself is `commands/enrich-nats.ts`, loaded only when it runs.
 */
import type { OptionSpec, ParsedArgs } from './command.js';
import { stringOption } from './option-values.js';
import { UsageError } from './usage-error.js';

/** The options of the JetStream mode of `enrich`. */
export const NATS_ENRICH_OPTIONS: OptionSpec[] = [
  { name: 'nats', type: 'string', value: 'url', description: 'Run as a JetStream worker: the NATS server(s), comma-separated (instead of --in/--out).' },
  { name: 'stream', type: 'string', value: 'name', description: 'With --nats: the input stream; it must exist.' },
  { name: 'consumer', type: 'string', value: 'durable', description: 'With --nats: the durable pull consumer the workers share; created when missing.' },
  { name: 'to-subject', type: 'string', value: 'subject', description: 'With --nats: where enriched records are published; a stream must store it.' },
  { name: 'dead-letter-subject', type: 'string', value: 'subject', description: 'With --nats: where records that fail for good are published, with their error.' },
  { name: 'max-deliver', type: 'string', value: 'N', description: 'With --nats: deliveries before a retryable failure is dead-lettered.', default: '5' },
  { name: 'exit-when-idle', type: 'string', value: 'ms', description: 'With --nats: exit once the consumer has had nothing pending this long.', default: 'never' },
  { name: 'ack-wait-ms', type: 'string', value: 'ms', description: 'With --nats: ack_wait of a consumer created here.', default: '30000' },
  { name: 'max-ack-pending', type: 'string', value: 'N', description: 'With --nats: max_ack_pending of a consumer created here.', default: '1000' },
  { name: 'max-in-flight', type: 'string', value: 'N', description: 'With --nats: messages this worker holds at once.', default: 'concurrency × batch size × 2, at least 16' },
  { name: 'drain-timeout-ms', type: 'string', value: 'ms', description: "With --nats: on SIGTERM/SIGINT, how long in-flight records may take before they are nak'ed.", default: '30000' },
];

/** Options only JetStream mode takes. */
const NATS_ONLY = NATS_ENRICH_OPTIONS.map((o) => o.name).filter((n) => n !== 'nats');

/** True when the command line asks for JetStream mode; refuses JetStream-only options otherwise. */
export function wantsNats(args: ParsedArgs, command: string): boolean {
  if (stringOption(args, 'nats') !== undefined) return true;
  const given = NATS_ONLY.find((n) => args.values[n] !== undefined);
  if (given) throw new UsageError(`--${given} needs --nats`, command);
  return false;
}
