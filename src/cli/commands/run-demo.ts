/**
 * What `sagemaker-rx demo` (`npm start`) does once its arguments parse (the option table and the
 * demo's settings are `demo.ts`): starts the embedded emulator with the faulty `reviews` endpoint,
 * streams the sample reviews through `batchInvocations` and proves nothing was lost. Loaded only
 * when the command runs.
 */
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { SageMakerRuntime } from '../../index.js';
import { EMULATOR_CREDENTIALS, EMULATOR_REGION, startEmulator, type FaultConfig } from '../../emulator/index.js';
import { createEnrichStats, describeError, enrichJsonLines, type EnrichOutcome, type EnrichStats, type JsonLineMeta } from '../../node/index.js';
import { isPlainObject } from '../../node/field-path.js';
import type { ParsedArgs } from '../args/command.js';
import { openInput, openOutput } from '../args/file-options.js';
import { flagOption, numberOption, stringOption } from '../args/option-values.js';
import { UsageError } from '../args/usage-error.js';
import type { CliIo } from '../cli-io.js';
import { EXIT_CODES, SIGNAL_EXIT_CODES } from '../output/exit-codes.js';
import { ProgressReporter, progressModeFor } from '../output/progress.js';
import { abortOnSignal } from '../abort-on-signal.js';
import { formatCount, formatRate, progressLine, recordsPerSecond } from '../output/run-report.js';
import { packageRoot } from '../package-info.js';
import { DEMO_DATA, DEMO_ENDPOINT, DEMO_FAULTS, DEMO_PIPELINE } from './demo.js';

/** Stars that say what a review's label should be. */
const EXPECTED_LABEL: Readonly<Record<number, string>> = { 1: 'NEGATIVE', 2: 'NEGATIVE', 4: 'POSITIVE', 5: 'POSITIVE' };

/** A writable that drops everything (the enriched records, when `--out` is not given). */
function discard(): Writable {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}

/** The faults line of the banner. */
function faultsText(faults: FaultConfig): string {
  if (Object.keys(faults).length === 0) return 'none (--no-faults)';
  return [
    `latency ${faults.latencyMs}–${(faults.latencyMs ?? 0) + (faults.jitterMs ?? 0)} ms`,
    `${faults.overConcurrencyAs} above ${faults.maxConcurrency} concurrent requests`,
    `${Math.round((faults.serverErrorRate ?? 0) * 100)} % ${faults.serverErrorStatus} ServiceUnavailable`,
  ].join(', ');
}

/** Runs `demo` with parsed arguments and resolves with its exit code. */
export async function runDemo(args: ParsedArgs, io: CliIo): Promise<number> {
  const name = 'demo';
  const maxRecords = numberOption(args, 'records', { integer: true, min: 1 }, name);
  const dataArg = stringOption(args, 'data');
  const root = packageRoot();
  if (dataArg === undefined && root === undefined) throw new UsageError('cannot find the sample data; pass --data file', name);
  const dataPath = dataArg !== undefined ? resolve(io.cwd, dataArg) : join(root as string, DEMO_DATA);
  const faults: FaultConfig = flagOption(args, 'no-faults') ? {} : DEMO_FAULTS;
  const outPath = stringOption(args, 'out');

  const input = await openInput(dataPath, io.cwd, '--data', name);
  // Everything opened is closed in the finally, also when a later step fails to open.
  let outStream: Awaited<ReturnType<typeof openOutput>> | undefined;
  let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
  let client: SageMakerRuntime | undefined;
  try {
    outStream = outPath !== undefined ? await openOutput(outPath, io.cwd, '--out', name) : undefined;
    emulator = await startEmulator({ endpoints: { [DEMO_ENDPOINT]: { model: 'sentiment', faults } } });
    client = new SageMakerRuntime({ region: EMULATOR_REGION, endpoint: emulator.url, credentials: EMULATOR_CREDENTIALS });
    const out = (text: string) => io.stdout.write(`${text}\n`);
    out(`sagemaker-rx demo: ${maxRecords !== undefined ? `up to ${formatCount(maxRecords)}` : 'all'} reviews from ${dataArg ?? DEMO_DATA}`);
    out(`  endpoint '${DEMO_ENDPOINT}' (sentiment model) on the embedded emulator at ${emulator.url}`);
    out(`  faults:   ${faultsText(faults)}`);
    out(
      `  pipeline: batchInvocations, ${DEMO_PIPELINE.codec} batches of ${DEMO_PIPELINE.batchSize}, ${DEMO_PIPELINE.concurrency} in flight, ` +
        `retryInvocation (${DEMO_PIPELINE.maxAttempts} attempts), adaptive limiter (AIMD on concurrency)`,
    );

    const stats = createEnrichStats();
    const labels = new Map<string, number>();
    const agreement = { judged: 0, agreed: 0 };
    // The demo reads the label back from the enriched line (2,400 small records: parsing is cheap here).
    const onOutcome = (outcome: EnrichOutcome<JsonLineMeta>): void => {
      if (outcome.kind !== 'enriched') {
        progress.log(`line ${outcome.record.meta.line}: ${outcome.kind === 'failed' ? describeError(outcome.error) : outcome.reason}`);
        return;
      }
      const record: unknown = JSON.parse(outcome.line);
      const answer = isPlainObject(record) ? record.sentiment : undefined;
      const label = isPlainObject(answer) && typeof answer.label === 'string' ? answer.label : 'UNKNOWN';
      labels.set(label, (labels.get(label) ?? 0) + 1);
      const expected = isPlainObject(record) && typeof record.rating === 'number' ? EXPECTED_LABEL[record.rating] : undefined;
      if (expected !== undefined) {
        agreement.judged++;
        if (label === expected) agreement.agreed++;
      }
    };
    const output = outStream ?? discard();
    const progress = new ProgressReporter(io.stderr, progressModeFor(flagOption(args, 'no-progress'), io.stderr), () => `demo: ${progressLine(stats, maxRecords)}`);
    const stop = abortOnSignal(io);
    progress.start();
    let result;
    try {
      result = await enrichJsonLines({
        client,
        endpointName: DEMO_ENDPOINT,
        input,
        output,
        as: 'sentiment',
        ordered: true,
        concurrency: DEMO_PIPELINE.concurrency,
        batchSize: DEMO_PIPELINE.batchSize,
        maxWaitMs: DEMO_PIPELINE.batchWaitMs,
        codec: DEMO_PIPELINE.codec,
        retry: { maxAttempts: DEMO_PIPELINE.maxAttempts, quota: client.retryQuota },
        adaptive: 'concurrency',
        ...(maxRecords !== undefined ? { maxRecords } : {}),
        stats,
        signal: stop.signal,
        onOutcome,
      });
    } finally {
      stop.remove();
      progress.stop();
      await new Promise<void>((done) => output.end(done));
    }
    const signal = stop.received();
    printSummary(out, stats, labels, agreement, emulator.endpointStats(DEMO_ENDPOINT).throttled, signal);
    if (result.stopped === 'aborted') return SIGNAL_EXIT_CODES[signal ?? 'SIGINT'];
    const everyRecordAnswered = stats.ok === stats.read && stats.failed === 0 && stats.read > 0;
    return everyRecordAnswered ? EXIT_CODES.ok : EXIT_CODES.failed;
  } finally {
    input.destroy();
    outStream?.destroy();
    await client?.destroy();
    await emulator?.close();
  }
}

function printSummary(
  out: (text: string) => void,
  stats: EnrichStats,
  labels: Map<string, number>,
  agreement: { judged: number; agreed: number },
  serverThrottled: number,
  signal?: 'SIGINT' | 'SIGTERM',
): void {
  const seconds = (Date.now() - stats.startedAt) / 1000;
  const done = stats.ok + stats.failed;
  const labelText = [...labels.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([label, n]) => `${label} ${formatCount(n)}`)
    .join(' · ');
  out('');
  out(`records:      ${formatCount(stats.read)} in, ${formatCount(done)} out (${formatCount(stats.ok)} enriched, ${formatCount(stats.failed)} failed)`);
  out(`batches:      ${formatCount(stats.invocations)} invocations, ${formatCount(stats.attempts)} HTTP requests`);
  out(`retries:      ${formatCount(stats.retries)} (throttles: ${formatCount(stats.throttles)} seen by the client, ${formatCount(serverThrottled)} counted by the endpoint)`);
  out(`speed:        ${formatRate(recordsPerSecond(stats))} records/s over ${seconds.toFixed(1)} s`);
  out(`labels:       ${labelText || 'none'}`);
  if (agreement.judged > 0) {
    out(`stars agree:  ${formatRate((100 * agreement.agreed) / agreement.judged)} % of 1–2★ and 4–5★ reviews got the matching label`);
  }
  if (signal) {
    // Records read but still in flight when the signal came were never answered: not lost, not done.
    out(`stopped by ${signal}: ${formatCount(stats.read)} in, ${formatCount(done)} out, ${formatCount(stats.read - done)} in flight not finished`);
  } else {
    out(`${done === stats.read ? 'nothing lost' : 'LOST RECORDS'}: ${formatCount(stats.read)} in, ${formatCount(done)} out`);
  }
}
