/**
 * `sagemaker-rx enrich <endpoint>`: JSON Lines in (stdin or `--in`), each record enriched with
 * the endpoint's answer, JSON Lines out (stdout or `--out`); failed records to `--errors`. A thin
 * shell over `enrichJsonLines` (sagemaker-rx/node): it parses, opens files, and prints.
 *
 * This module is the command's name, help and option table only; what it does is `run-enrich.ts`,
 * loaded when it runs, so `--help` loads neither the engine, the client nor rxjs.
 */
import { DEFAULT_ENRICH_CONCURRENCY, DEFAULT_MAX_CONSECUTIVE_FAILURES } from '../../node/enrich-defaults.js';
import { AWS_OPTIONS } from '../args/aws-options.js';
import type { Command } from '../args/command.js';
import { LIMITER_OPTIONS } from '../args/limiter-options.js';
import { NATS_ENRICH_OPTIONS } from '../args/nats-options.js';

/** The built-in batch codecs `enrich --codec` offers. */
export const BATCH_CODECS = ['json', 'jsonl', 'csv'] as const;

/** The `enrich` command: JSON Lines through an endpoint, every line to exactly one output. */
export const enrichCommand: Command = {
  name: 'enrich',
  summary: 'Enrich a JSON Lines stream: each record sent to an endpoint, its answer added to it.',
  synopsis: '<endpoint> [--in file] [--out file] [--errors file] [options]',
  details: `
Reads JSON Lines from --in (or stdin), sends each record (or its --field, a path such as
review.body) to the endpoint, and writes the record with the answer under --as (a path too) to
--out (or stdout), in input order unless --unordered. Each output line is the input line byte for
byte with the answer added: numbers, escapes and key order are kept. A string payload is sent as
text/plain, anything else as application/json (--content-type overrides). With --batch-size > 1
records are packed into one invocation (--codec json: a JSON array, jsonl: JSON Lines, csv: one
RFC 4180 line per record) and each record gets its own answer back.

Every input line ends in exactly one of the two outputs: a record that fails (after retries),
a line that is not JSON, or a record without --field goes to --errors as
  {"line": 12, "error": {"name", "message", "retryable", "$metadata", ...}, "record": <the line>}
(a line that is not JSON: "record": null, "raw": "<the line>"); without --errors failures are
reported on stderr. --out is written to a temporary file beside it (.NAME.partial) and renamed
when the run ends, so an interrupted run never leaves a half-written file under the name;
--resume continues from it. --in, --out and --errors must be different files.

The run stops early, exit 1, when ${DEFAULT_MAX_CONSECUTIVE_FAILURES} results in a row fail with the same cause no retry
fixes (unknown endpoint, access denied, bad credentials or signature): --max-consecutive-failures.

Exit codes: 0 every record enriched (or --allow-failures), 1 some record failed or the run was
stopped by the breaker, 2 bad usage (nothing read or sent), 130/143 interrupted (outputs flushed).

With --nats the command is one worker of many on a NATS JetStream stream (see docs/scale-out.md):
it pulls records from the durable --consumer on --stream, publishes each enriched record to
--to-subject (the input acked only once the server has stored the output; a redelivered record's
second output is dropped by the stream's duplicate window), and publishes records that fail for
good to --dead-letter-subject. It runs until SIGTERM/SIGINT (no more pulls, in-flight records
finished, the rest nak'ed back to the stream, exit 0) or --exit-when-idle. Setup problems (NATS
unreachable, stream missing, no stream storing --to-subject) exit 2 before anything is pulled.
  sagemaker-rx enrich reviews --nats nats://127.0.0.1:4222 --stream REVIEWS --consumer enrichers \\
    --to-subject enriched.reviews --dead-letter-subject dead.reviews --field text --as sentiment

Example:
  sagemaker-rx enrich reviews --in reviews.jsonl --field text --as sentiment \\
    --out enriched.jsonl --errors failed.jsonl --batch-size 16 --codec jsonl --adaptive`,
  positionals: ['endpoint'],
  options: [
    { name: 'in', short: 'i', type: 'string', value: 'file', description: "JSON Lines to read ('-' = stdin).", default: 'stdin' },
    { name: 'out', short: 'o', type: 'string', value: 'file', description: "Where enriched records go ('-' = stdout).", default: 'stdout' },
    { name: 'errors', short: 'e', type: 'string', value: 'file', description: 'Where failed records go, as JSON Lines.', default: 'reported on stderr' },
    { name: 'field', short: 'f', type: 'string', value: 'path', description: 'Send this member of each record (a.b.c for nested).', default: 'the whole record' },
    { name: 'as', type: 'string', value: 'path', description: 'Member the answer is written under (a.b for nested).', default: 'prediction' },
    { name: 'unordered', type: 'boolean', description: 'Write records as they finish instead of in input order.' },
    { name: 'concurrency', short: 'c', type: 'string', value: 'N', description: 'Invocations in flight at once.', default: String(DEFAULT_ENRICH_CONCURRENCY) },
    { name: 'batch-size', short: 'b', type: 'string', value: 'N', description: 'Records per invocation (> 1 packs records into batches).', default: '1' },
    { name: 'batch-wait-ms', type: 'string', value: 'ms', description: 'How long a partial batch waits for more records.', default: '50' },
    { name: 'codec', type: 'string', value: BATCH_CODECS.join('|'), description: 'How a batch is encoded.', default: 'json' },
    { name: 'split-on-failure', type: 'boolean', description: 'Bisect a failing batch so only the poison record fails.' },
    { name: 'content-type', type: 'string', value: 'mime', description: 'ContentType of each invocation.' },
    { name: 'accept', type: 'string', value: 'mime', description: 'Accept of each invocation.' },
    ...LIMITER_OPTIONS,
    { name: 'retries', type: 'string', value: 'N', description: 'Retry a retryable failure up to N times (maxAttempts = N + 1).', default: '2' },
    { name: 'timeout-ms', type: 'string', value: 'ms', description: 'Abort an attempt that has not answered after this long (retryable).' },
    {
      name: 'max-consecutive-failures',
      type: 'string',
      value: 'N',
      description: 'Stop when N results in a row fail with the same unfixable cause (0 = never stop).',
      default: String(DEFAULT_MAX_CONSECUTIVE_FAILURES),
    },
    { name: 'resume', type: 'boolean', description: 'Skip the records a previous run of the same command wrote to --out/--errors, and append.' },
    { name: 'key', type: 'string', value: 'path', description: 'With --resume: match records by this member instead of by count (needed with --unordered).' },
    { name: 'allow-failures', type: 'boolean', description: 'Exit 0 even when some records failed.' },
    { name: 'no-progress', type: 'boolean', description: 'Show neither the progress line nor periodic progress lines.' },
    { name: 'otel', type: 'boolean', description: 'Export traces and metrics over OTLP/HTTP (OTEL_EXPORTER_OTLP_* environment; optional @opentelemetry packages).' },
    ...AWS_OPTIONS,
    ...NATS_ENRICH_OPTIONS,
  ],
  async run(args, io) {
    const { runEnrich } = await import('./run-enrich.js');
    return runEnrich(args, io);
  },
};
