/**
 * `sagemaker-rx enrich <endpoint>`: JSON Lines in (stdin or `--in`), each record enriched with
 * the endpoint's answer, JSON Lines out (stdout or `--out`); failed records to `--errors`. A thin
 * shell over `enrichJsonLines` (sagemaker-rx/node): it parses, opens files, and prints.
 */
import type { Readable, Writable } from 'node:stream';
import { truncate } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SageMakerRuntime } from '../../index.js';
import {
  countLines,
  createEnrichStats,
  DEFAULT_ENRICH_CONCURRENCY,
  DEFAULT_MAX_CONSECUTIVE_FAILURES,
  describeError,
  enrichJsonLines,
  parseFieldPath,
  partialPathOf,
  previousOutputOf,
  readResumePoint,
  type AtomicOutput,
  type EnrichOutcome,
  type JsonLineMeta,
  type ResumePoint,
} from '../../node/index.js';
import { AWS_OPTIONS, clientConfigFromArgs } from '../args/aws-options.js';
import type { Command } from '../args/command.js';
import { openAtomic, openInput, openOutput, requireDistinctFiles } from '../args/file-options.js';
import { LIMITER_OPTIONS, pacingFromArgs } from '../args/limiter-options.js';
import { choiceOption, flagOption, numberOption, stringOption } from '../args/option-values.js';
import { UsageError } from '../args/usage-error.js';
import type { CliIo } from '../cli-io.js';
import { EXIT_CODES, SIGNAL_EXIT_CODES } from '../output/exit-codes.js';
import { ProgressReporter } from '../output/progress.js';
import { formatCount, progressLine, summaryLine } from '../output/run-report.js';
import { stopMessage } from '../output/stop-message.js';
import { NATS_ENRICH_OPTIONS, runEnrichNats, wantsNats } from './enrich-nats.js';
import { startOtelExport } from '../output/otel-export.js';

/** The built-in batch codecs `enrich --codec` offers. */
export const BATCH_CODECS = ['json', 'jsonl', 'csv'] as const;

/** Prints failures on stderr (no --errors file), collapsing a run of identical ones into a count. */
class FailureLog {
  private last = '';
  private repeats = 0;
  constructor(private readonly print: (message: string) => void) {}
  add(outcome: EnrichOutcome<JsonLineMeta>): void {
    if (outcome.kind === 'enriched') return;
    const what = outcome.kind === 'failed' ? describeError(outcome.error) : `malformed record, skipped (${outcome.reason})`;
    // Alike = same name and message; request ids and attempt counts differ from call to call.
    const alike = outcome.kind === 'failed' ? `${outcome.error.name}: ${outcome.error.message}` : what;
    if (alike === this.last) {
      this.repeats++;
      return;
    }
    this.flush();
    this.last = alike;
    this.print(`line ${outcome.record.meta.line}: ${what}`);
  }
  flush(): void {
    if (this.repeats > 0) this.print(`  (${formatCount(this.repeats)} more like it)`);
    this.repeats = 0;
  }
}

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
    const name = 'enrich';
    const [endpointName] = args.positionals as [string];
    const concurrency = numberOption(args, 'concurrency', { integer: true, min: 1 }, name) ?? DEFAULT_ENRICH_CONCURRENCY;
    const batchSize = numberOption(args, 'batch-size', { integer: true, min: 1 }, name) ?? 1;
    const batchWaitMs = numberOption(args, 'batch-wait-ms', { min: 0 }, name);
    const codec = choiceOption(args, 'codec', BATCH_CODECS, name) ?? 'json';
    const retries = numberOption(args, 'retries', { integer: true, min: 0 }, name) ?? 2;
    const timeoutMs = numberOption(args, 'timeout-ms', { min: 1 }, name);
    const maxFailures = numberOption(args, 'max-consecutive-failures', { integer: true, min: 0 }, name) ?? DEFAULT_MAX_CONSECUTIVE_FAILURES;
    const as = stringOption(args, 'as') ?? 'prediction';
    const field = stringOption(args, 'field');
    const key = stringOption(args, 'key');
    for (const [option, path] of [['--as', as], ['--field', field], ['--key', key]] as const) {
      if (path === undefined) continue;
      try {
        parseFieldPath(path, option);
      } catch (err) {
        throw new UsageError((err as Error).message, name);
      }
    }
    const pacing = pacingFromArgs(args, name);
    const clientConfig = clientConfigFromArgs(args, name, io.stderr);
    const inPath = orStdio(stringOption(args, 'in'));
    const outPath = orStdio(stringOption(args, 'out'));
    const errorsPath = stringOption(args, 'errors');
    const contentType = stringOption(args, 'content-type');
    const accept = stringOption(args, 'accept');
    if (wantsNats(args, name)) {
      const natsOtel = flagOption(args, 'otel') ? await startOtelExport(io.env, name) : undefined;
      const natsClient = new SageMakerRuntime(clientConfig);
      try {
        return await runEnrichNats(args, io, {
          client: natsClient,
          endpointName,
          progressMode: flagOption(args, 'no-progress') ? 'off' : io.stderr.isTTY ? 'tty' : 'lines',
          engine: {
            ...(field !== undefined ? { field } : {}),
            as,
            concurrency,
            batchSize,
            ...(batchWaitMs !== undefined ? { maxWaitMs: batchWaitMs } : {}),
            codec,
            ...(flagOption(args, 'split-on-failure') ? { splitOnFailure: true } : {}),
            ...(contentType !== undefined ? { contentType } : {}),
            ...(accept !== undefined ? { accept } : {}),
            retry: { maxAttempts: retries + 1, quota: natsClient.retryQuota },
            ...(timeoutMs !== undefined ? { timeoutMs } : {}),
            ...pacing,
            breaker: maxFailures === 0 ? false : { maxConsecutiveFailures: maxFailures },
          },
        });
      } finally {
        await natsClient.destroy();
        await natsOtel?.shutdown();
      }
    }
    const ordered = !flagOption(args, 'unordered');
    const resume = flagOption(args, 'resume');
    if (resume && outPath === undefined) throw new UsageError('--resume needs --out <file> (it continues that file)', name);
    if (resume && key === undefined && errorsPath === undefined) {
      throw new UsageError('--resume by count needs --errors <file> (failures are known only from it); or give --key', name);
    }
    if (resume && key === undefined && !ordered) throw new UsageError('--resume with --unordered needs --key (the order of the output is not the input order)', name);
    if (key !== undefined && !resume) throw new UsageError('--key only applies with --resume', name);

    // Nothing is opened before every file is known to be distinct.
    requireDistinctFiles(
      [
        ...(inPath !== undefined ? [{ option: '--in', path: inPath }] : []),
        ...(outPath !== undefined ? [{ option: '--out', path: outPath }, { option: "--out's temporary file", path: partialPathOf(resolve(io.cwd, outPath)) }] : []),
        ...(errorsPath !== undefined ? [{ option: '--errors', path: errorsPath }] : []),
      ],
      io.cwd,
      name,
    );

    // Before anything is opened: a missing optional package stops the run before anything is sent.
    const otel = flagOption(args, 'otel') ? await startOtelExport(io.env, name) : undefined;
    const opened: Array<{ destroy(): void }> = [];
    let client: SageMakerRuntime | undefined;
    let atomic: AtomicOutput | undefined;
    const counting = new AbortController();
    try {
      const input: Readable = inPath === undefined ? io.stdin : await openInput(inPath, io.cwd, '--in', name);
      if (input !== io.stdin) opened.push(input);
      else if (io.stdin.isTTY) io.stderr.write(`${name}: reading JSON Lines from the terminal (Ctrl-D ends the input; --in file reads a file)\n`);

      let point: ResumePoint | undefined;
      if (resume && outPath !== undefined) {
        const target = resolve(io.cwd, outPath);
        point = await readResumePoint({
          output: (await previousOutputOf(target)) ?? target,
          ...(errorsPath !== undefined ? { errors: resolve(io.cwd, errorsPath) } : {}),
          ...(key !== undefined ? { key } : {}),
        });
        // A last error line cut short by a crash is dropped, like the output's.
        if (errorsPath !== undefined) await truncate(resolve(io.cwd, errorsPath), point.errorsBytes).catch(() => undefined);
      }
      atomic = outPath !== undefined ? await openAtomic(outPath, io.cwd, '--out', name, resume ? { resume, ...(point ? { keepBytes: point.outputBytes } : {}) } : {}) : undefined;
      const errStream = errorsPath === undefined ? undefined : await openOutput(errorsPath, io.cwd, '--errors', name, resume);
      if (errStream) opened.push(errStream);
      const output: Writable = atomic?.stream ?? io.stdout;
      if (atomic) opened.push(atomic.stream);

      client = new SageMakerRuntime(clientConfig);
      const stats = createEnrichStats();
      let total: number | undefined;
      if (inPath !== undefined) {
        countLines(resolve(io.cwd, inPath), counting.signal).then(
          (n) => void (total = n),
          () => undefined,
        );
      }
      const mode = flagOption(args, 'no-progress') ? 'off' : io.stderr.isTTY ? 'tty' : 'lines';
      const progress = new ProgressReporter(io.stderr, mode, () => `${name}: ${progressLine(stats, total)}`);
      const failures = errStream ? undefined : new FailureLog((m) => progress.log(m));
      const abort = new AbortController();
      let signal: 'SIGINT' | 'SIGTERM' | undefined;
      const removeSignal = io.onSignal((s) => {
        signal = s;
        abort.abort();
      });
      progress.start();
      let result;
      try {
        result = await enrichJsonLines({
          client,
          endpointName,
          input,
          output,
          ...(errStream ? { errors: errStream } : {}),
          ...(field !== undefined ? { field } : {}),
          as,
          ...(contentType !== undefined ? { contentType } : {}),
          ...(accept !== undefined ? { accept } : {}),
          ordered,
          concurrency,
          batchSize,
          ...(batchWaitMs !== undefined ? { maxWaitMs: batchWaitMs } : {}),
          codec,
          retry: { maxAttempts: retries + 1, quota: client.retryQuota },
          ...(timeoutMs !== undefined ? { timeoutMs } : {}),
          ...pacing,
          ...(flagOption(args, 'split-on-failure') ? { splitOnFailure: true } : {}),
          breaker: maxFailures === 0 ? false : { maxConsecutiveFailures: maxFailures },
          ...(point ? { skip: point.isDone } : {}),
          stats,
          signal: abort.signal,
          ...(failures ? { onOutcome: (o: EnrichOutcome<JsonLineMeta>) => failures.add(o) } : {}),
        });
      } finally {
        removeSignal();
        progress.stop();
        failures?.flush();
      }
      const finished = result.stopped === undefined;
      // A stopped run keeps its partial output for --resume, unless it has nothing in it.
      const keepPartial = !finished && (stats.ok > 0 || resume);
      if (atomic) await (finished ? atomic.commit() : keepPartial ? atomic.keep() : atomic.discard());
      if (errStream) await endStream(errStream);
      else await flushStdout(io);

      const tail = [
        result.stopped === 'aborted' ? `stopped by ${signal ?? 'abort'}` : '',
        stats.failed && errorsPath ? `failures in ${errorsPath}` : '',
        keepPartial && atomic ? `partial output kept in ${atomic.partial} (add --resume to continue)` : '',
      ].filter(Boolean);
      if (result.circuit) {
        io.stderr.write(`${name}: ${stopMessage(result.circuit, { region: client.region, endpointUrl: client.endpoint.href })}\n`);
      }
      io.stderr.write(`${name}: ${summaryLine(stats)}${tail.length ? ` · ${tail.join(' · ')}` : ''}\n`);
      if (result.stopped === 'aborted') return SIGNAL_EXIT_CODES[signal ?? 'SIGINT'];
      if (result.circuit) return EXIT_CODES.failed;
      return stats.failed > 0 && !flagOption(args, 'allow-failures') ? EXIT_CODES.failed : EXIT_CODES.ok;
    } finally {
      counting.abort();
      for (const stream of opened) stream.destroy();
      await client?.destroy();
      await otel?.shutdown();
    }
  },
};

/** `-` and absent both mean the standard stream. */
function orStdio(path: string | undefined): string | undefined {
  return path === undefined || path === '-' ? undefined : path;
}

async function endStream(stream: Writable): Promise<void> {
  if (stream.writableFinished) return;
  await new Promise<void>((resolve) => stream.end(resolve));
}

/** Resolves once what was written to stdout has been handed on. */
async function flushStdout(io: CliIo): Promise<void> {
  await new Promise<void>((resolve) => io.stdout.write('', () => resolve()));
}
