/**
 * `sagemaker-rx enrich <endpoint>`: JSON Lines in (stdin or `--in`), each record enriched with
 * the endpoint's answer, JSON Lines out (stdout or `--out`); failed records to `--errors`.
 */
import type { Readable } from 'node:stream';
import { SageMakerRuntime } from '../../client/sagemaker-runtime.js';
import { AWS_OPTIONS, clientConfigFromArgs } from '../aws-options.js';
import type { Command } from '../command.js';
import { BATCH_CODECS, enrichRecords$ } from '../enrich-run.js';
import { EXIT_CODES, SIGNAL_EXIT_CODES } from '../exit-codes.js';
import { openInput, openOutput } from '../file-streams.js';
import { JsonLinesWriter } from '../json-lines.js';
import { LIMITER_OPTIONS, limiterFromArgs } from '../limiter-options.js';
import { choiceOption, flagOption, numberOption, stringOption } from '../option-values.js';
import { ProgressReporter } from '../progress.js';
import { runUntilSignal } from '../run-until-signal.js';
import { createRunStats, progressLine, summaryLine } from '../run-stats.js';
import { UsageError } from '../usage-error.js';

/** `--concurrency` when not given: invocations in flight at once. */
export const DEFAULT_ENRICH_CONCURRENCY = 8;

/** The `enrich` command: JSON Lines through an endpoint, every line to exactly one output. */
export const enrichCommand: Command = {
  name: 'enrich',
  summary: 'Enrich a JSON Lines stream: each record sent to an endpoint, its answer added to it.',
  synopsis: '<endpoint> [--in file] [--out file] [--errors file] [options]',
  details: `
Reads JSON Lines from --in (or stdin), sends each record (or its --field) to the endpoint, and
writes the record with the answer under --as to --out (or stdout), in input order unless
--unordered. The answer is parsed as JSON when the response content type is JSON. A string
payload is sent as text/plain, anything else as application/json (--content-type overrides).
With --batch-size > 1 records are packed into one invocation (--codec json: a JSON array,
jsonl: JSON Lines, csv: one line per record) and each record gets its own answer back.

Every input line ends in exactly one of the two outputs: a record that fails (after retries),
a line that is not JSON, or a record without --field goes to --errors as
  {"line": 12, "record": {...}, "error": {"name", "message", "retryable", "$metadata", ...}}
(a line that is not JSON: "record": null, "raw": "<the line>"); without --errors each failure
is reported on stderr. Blank lines are skipped. Progress is shown on stderr when it is a
terminal; a one-line summary is always printed at the end.

Exit codes: 0 every record enriched (or --allow-failures), 1 some record failed,
2 bad usage (nothing sent), 130/143 interrupted (outputs flushed).

Example:
  sagemaker-rx enrich reviews --in reviews.jsonl --field text --as sentiment \\
    --out enriched.jsonl --errors failed.jsonl --batch-size 16 --adaptive`,
  positionals: ['endpoint'],
  options: [
    { name: 'in', short: 'i', type: 'string', value: 'file', description: "JSON Lines to read ('-' = stdin).", default: 'stdin' },
    { name: 'out', short: 'o', type: 'string', value: 'file', description: "Where enriched records go ('-' = stdout).", default: 'stdout' },
    { name: 'errors', short: 'e', type: 'string', value: 'file', description: 'Where failed records go, as JSON Lines.', default: 'reported on stderr' },
    { name: 'field', short: 'f', type: 'string', value: 'name', description: 'Send this member of each record.', default: 'the whole record' },
    { name: 'as', type: 'string', value: 'name', description: 'Member the answer is written under.', default: 'prediction' },
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
    { name: 'allow-failures', type: 'boolean', description: 'Exit 0 even when some records failed.' },
    { name: 'no-progress', type: 'boolean', description: 'Do not draw the progress line.' },
    ...AWS_OPTIONS,
  ],
  async run(args, io) {
    const name = 'enrich';
    const [endpointName] = args.positionals as [string];
    const concurrency = numberOption(args, 'concurrency', { integer: true, min: 1 }, name) ?? DEFAULT_ENRICH_CONCURRENCY;
    const batchSize = numberOption(args, 'batch-size', { integer: true, min: 1 }, name) ?? 1;
    const batchWaitMs = numberOption(args, 'batch-wait-ms', { min: 0 }, name);
    const codec = choiceOption(args, 'codec', BATCH_CODECS, name) ?? 'json';
    const retries = numberOption(args, 'retries', { integer: true, min: 0 }, name) ?? 2;
    const timeoutMs = numberOption(args, 'timeout-ms', { min: 1 }, name);
    const as = stringOption(args, 'as') ?? 'prediction';
    if (as === '') throw new UsageError('--as must not be empty', name);
    const field = stringOption(args, 'field');
    const limiter = limiterFromArgs(args, name);
    const clientConfig = clientConfigFromArgs(args, name);
    const inPath = stringOption(args, 'in');
    const outPath = stringOption(args, 'out');
    const errorsPath = stringOption(args, 'errors');
    const contentType = stringOption(args, 'content-type');
    const accept = stringOption(args, 'accept');

    const client = new SageMakerRuntime(clientConfig);
    const opened: Array<{ destroy(): void }> = [];
    try {
      const input: Readable = inPath === undefined || inPath === '-' ? io.stdin : await openInput(inPath, io.cwd, '--in', name);
      if (input !== io.stdin) opened.push(input);
      else if (io.stdin.isTTY) io.stderr.write(`${name}: reading JSON Lines from the terminal (Ctrl-D ends the input; --in file reads a file)\n`);
      const outStream = outPath === undefined || outPath === '-' ? undefined : await openOutput(outPath, io.cwd, '--out', name);
      if (outStream) opened.push(outStream);
      const errStream = errorsPath === undefined ? undefined : await openOutput(errorsPath, io.cwd, '--errors', name);
      if (errStream) opened.push(errStream);
      const output = new JsonLinesWriter(outStream ?? io.stdout, outStream !== undefined);
      const errors = errStream ? new JsonLinesWriter(errStream, true) : undefined;

      const stats = createRunStats();
      const progress = new ProgressReporter(io.stderr, io.stderr.isTTY && !flagOption(args, 'no-progress') ? 'tty' : 'off', () =>
        progressLine(stats),
      );
      progress.start();
      let outcome;
      try {
        outcome = await runUntilSignal(
          enrichRecords$({
            client,
            endpointName,
            input,
            output,
            ...(errors ? { errors } : {}),
            ...(field !== undefined ? { field } : {}),
            as,
            ...(contentType !== undefined ? { contentType } : {}),
            ...(accept !== undefined ? { accept } : {}),
            ordered: !flagOption(args, 'unordered'),
            concurrency,
            batchSize,
            ...(batchWaitMs !== undefined ? { batchWaitMs } : {}),
            codec,
            retry: { maxAttempts: retries + 1, quota: client.retryQuota },
            ...(timeoutMs !== undefined ? { timeoutMs } : {}),
            ...(limiter ? { limiter } : {}),
            ...(flagOption(args, 'split-on-failure') ? { splitOnFailure: true } : {}),
            stats,
            report: (message) => progress.log(message),
          }),
          io,
        );
      } finally {
        progress.stop();
        await output.close();
        await errors?.close();
      }
      const interrupted = outcome.signal ? ` · interrupted by ${outcome.signal}` : '';
      io.stderr.write(`${name}: ${summaryLine(stats)}${interrupted}${stats.failed && errorsPath ? ` · failures in ${errorsPath}` : ''}\n`);
      if (outcome.signal) return SIGNAL_EXIT_CODES[outcome.signal];
      return stats.failed > 0 && !flagOption(args, 'allow-failures') ? EXIT_CODES.failed : EXIT_CODES.ok;
    } finally {
      for (const stream of opened) stream.destroy();
      await client.destroy();
    }
  },
};
