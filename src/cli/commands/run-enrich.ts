/**
 * What `sagemaker-rx enrich` does once its arguments parse (the option table is `enrich.ts`):
 * JSON Lines in (stdin or `--in`), each record enriched with the endpoint's answer, JSON Lines out
 * (stdout or `--out`), failed records to `--errors`; or, with `--nats`, one JetStream worker
 * (`enrich-nats.ts`, loaded only then). A thin shell over `enrichJsonLines` (sagemaker-rx/node):
 * it parses, opens files, and prints. Loaded only when the command runs.
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
import { clientConfigFromArgs } from '../args/aws-options.js';
import type { ParsedArgs } from '../args/command.js';
import { openAtomic, openInput, openOutput, requireDistinctFiles } from '../args/file-options.js';
import { wantsNats } from '../args/nats-options.js';
import { choiceOption, flagOption, numberOption, stringOption } from '../args/option-values.js';
import { pacingFromArgs } from '../args/pacing-from-args.js';
import { UsageError } from '../args/usage-error.js';
import type { CliIo } from '../cli-io.js';
import { EXIT_CODES, SIGNAL_EXIT_CODES } from '../output/exit-codes.js';
import { startOtelExport } from '../output/otel-export.js';
import { ProgressReporter, progressModeFor } from '../output/progress.js';
import { abortOnSignal } from '../abort-on-signal.js';
import { formatCount, progressLine, summaryLine } from '../output/run-report.js';
import { stopMessage } from '../output/stop-message.js';
import { BATCH_CODECS } from './enrich.js';

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

/** Runs `enrich` with parsed arguments and resolves with its exit code. */
export async function runEnrich(args: ParsedArgs, io: CliIo): Promise<number> {
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
    const { runEnrichNats } = await import('./enrich-nats.js');
    const natsClient = new SageMakerRuntime(clientConfig);
    try {
      return await runEnrichNats(args, io, {
        client: natsClient,
        endpointName,
        progressMode: progressModeFor(flagOption(args, 'no-progress'), io.stderr),
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
    const progress = new ProgressReporter(io.stderr, progressModeFor(flagOption(args, 'no-progress'), io.stderr), () => `${name}: ${progressLine(stats, total)}`);
    const failures = errStream ? undefined : new FailureLog((m) => progress.log(m));
    const stop = abortOnSignal(io);
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
        signal: stop.signal,
        ...(failures ? { onOutcome: (o: EnrichOutcome<JsonLineMeta>) => failures.add(o) } : {}),
      });
    } finally {
      stop.remove();
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
      result.stopped === 'aborted' ? `stopped by ${stop.received() ?? 'abort'}` : '',
      stats.failed && errorsPath ? `failures in ${errorsPath}` : '',
      keepPartial && atomic ? `partial output kept in ${atomic.partial} (add --resume to continue)` : '',
    ].filter(Boolean);
    if (result.circuit) {
      io.stderr.write(`${name}: ${stopMessage(result.circuit, { region: client.region, endpointUrl: client.endpoint.href })}\n`);
    }
    io.stderr.write(`${name}: ${summaryLine(stats)}${tail.length ? ` · ${tail.join(' · ')}` : ''}\n`);
    if (result.stopped === 'aborted') return SIGNAL_EXIT_CODES[stop.received() ?? 'SIGINT'];
    if (result.circuit) return EXIT_CODES.failed;
    return stats.failed > 0 && !flagOption(args, 'allow-failures') ? EXIT_CODES.failed : EXIT_CODES.ok;
  } finally {
    counting.abort();
    for (const stream of opened) stream.destroy();
    await client?.destroy();
    await otel?.shutdown();
  }
}

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
