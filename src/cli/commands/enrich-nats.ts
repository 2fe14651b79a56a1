/**
 * `sagemaker-rx enrich <endpoint> --nats <url> …`: the enrich command as one JetStream worker.
 * Parsing and printing only; the worker is `enrichJetStream` of `sagemaker-rx/nats`.
 */
import type { SageMakerRuntime } from '../../index.js';
import { createJetStreamRunStats, enrichJetStream, isJetStreamSetupError, isNatsPeerMissingError, type EnrichJetStreamOptions } from '../../nats/index.js';
import { isCircuitOpenError } from '../../node/index.js';
import type { ParsedArgs } from '../args/command.js';
import { numberOption, stringOption } from '../args/option-values.js';
import { UsageError } from '../args/usage-error.js';
import type { CliIo } from '../cli-io.js';
import { errorLine } from '../output/error-report.js';
import { EXIT_CODES } from '../output/exit-codes.js';
import { jetStreamProgressLine, jetStreamSummaryLine } from '../output/jet-stream-report.js';
import { ProgressReporter, type ProgressMode } from '../output/progress.js';
import { stopMessage } from '../output/stop-message.js';

/** Options only file mode takes: refused with --nats, so a mixed command line fails before anything runs. */
const FILE_ONLY = ['in', 'out', 'errors', 'unordered', 'resume', 'key', 'allow-failures'];

/** What the shared part of `enrich` hands over: the client and the engine options file mode uses too. */
export interface NatsEnrichContext {
  client: SageMakerRuntime;
  endpointName: string;
  engine: Omit<EnrichJetStreamOptions, 'client' | 'endpointName' | 'servers' | 'connection' | 'stream' | 'consumer' | 'toSubject'>;
  progressMode: ProgressMode;
}

/** Runs `enrich --nats`: one worker until SIGTERM/SIGINT (drained, exit 0) or `--exit-when-idle` (exit 0). */
export async function runEnrichNats(args: ParsedArgs, io: CliIo, context: NatsEnrichContext): Promise<number> {
  const name = 'enrich';
  const required = (option: string): string => {
    const value = stringOption(args, option);
    if (value === undefined || value === '') throw new UsageError(`--nats needs --${option}`, name);
    return value;
  };
  const servers = required('nats').split(',').map((s) => s.trim()).filter(Boolean);
  const stream = required('stream');
  const consumer = required('consumer');
  const toSubject = required('to-subject');
  const deadLetterSubject = stringOption(args, 'dead-letter-subject');
  if (deadLetterSubject === '') throw new UsageError('--dead-letter-subject must not be empty', name);
  const given = FILE_ONLY.find((n) => args.values[n] !== undefined);
  if (given) throw new UsageError(`--${given} is for file mode; with --nats records come from --stream and go to --to-subject`, name);
  const maxDeliver = numberOption(args, 'max-deliver', { integer: true, min: 1 }, name);
  const exitWhenIdleMs = numberOption(args, 'exit-when-idle', { min: 0 }, name);
  const ackWaitMs = numberOption(args, 'ack-wait-ms', { min: 1000 }, name);
  const maxAckPending = numberOption(args, 'max-ack-pending', { integer: true, min: 1 }, name);
  const maxInFlight = numberOption(args, 'max-in-flight', { integer: true, min: 1 }, name);
  const drainTimeoutMs = numberOption(args, 'drain-timeout-ms', { min: 0 }, name);

  const stats = createJetStreamRunStats();
  const progress = new ProgressReporter(io.stderr, context.progressMode, () => `${name}: ${jetStreamProgressLine(stats)}`);
  const stop = new AbortController();
  let signal: 'SIGINT' | 'SIGTERM' | undefined;
  const removeSignal = io.onSignal((s) => {
    if (signal) return;
    signal = s;
    progress.log(`${name}: ${s}: no more pulls; finishing the records in flight (at most ${drainTimeoutMs ?? 30_000} ms), the rest go back to the stream`);
    stop.abort();
  });
  progress.start();
  try {
    const result = await enrichJetStream({
      ...context.engine,
      client: context.client,
      endpointName: context.endpointName,
      servers,
      stream,
      consumer,
      toSubject,
      ...(deadLetterSubject !== undefined ? { deadLetterSubject } : {}),
      ...(maxDeliver !== undefined ? { maxDeliver } : {}),
      ...(exitWhenIdleMs !== undefined ? { exitWhenIdleMs } : {}),
      ...(ackWaitMs !== undefined ? { ackWaitMs } : {}),
      ...(maxAckPending !== undefined ? { maxAckPending } : {}),
      ...(maxInFlight !== undefined ? { maxInFlight } : {}),
      ...(drainTimeoutMs !== undefined ? { drainTimeoutMs } : {}),
      signal: stop.signal,
      stats,
      onReady: (js) => {
        const settings = `ack_wait ${js.ackWaitMs} ms, max_ack_pending ${js.maxAckPending}`;
        progress.log(`${name}: pulling from ${stream} with ${js.created ? 'created ' : ''}consumer '${consumer}' (${settings})`);
        if (js.duplicateWindowMs < 2 * js.ackWaitMs) {
          progress.log(
            `${name}: warning: the duplicate window of the stream storing ${toSubject} (${js.duplicateWindowMs} ms) is shorter than twice ack_wait (${js.ackWaitMs} ms): a record redelivered after a crash may be published twice`,
          );
        }
      },
      onSettled: (s) => {
        const where = `${s.delivery.stream} #${s.delivery.streamSequence}`;
        if (s.kind === 'dead-lettered') {
          progress.log(`${name}: ${where} ${deadLetterSubject ? `dead-lettered to ${deadLetterSubject}` : 'terminated (no --dead-letter-subject)'}: ${errorLine(s.error)}`);
        } else if (s.kind === 'publish-failed') {
          progress.log(`${name}: ${where} nak'ed, publishing failed: ${(s.error as Error)?.message ?? String(s.error)}`);
        }
      },
      onPullError: (err) => progress.log(`${name}: pulling from ${stream}/${consumer} failed, retrying: ${(err as Error)?.message ?? String(err)}`),
    });
    progress.stop();
    const ending =
      result.ended === 'idle'
        ? `idle for ${exitWhenIdleMs} ms`
        : result.ended === 'drain-timeout'
          ? `${signal}: in-flight records nak'ed after ${drainTimeoutMs ?? 30_000} ms`
          : `stopped by ${signal}`;
    io.stderr.write(`${name}: ${jetStreamSummaryLine(stats)} · ${ending}\n`);
    return EXIT_CODES.ok;
  } catch (err) {
    progress.stop();
    if (isJetStreamSetupError(err) || isNatsPeerMissingError(err)) {
      io.stderr.write(`sagemaker-rx ${name}: ${err.message}\n`);
      return EXIT_CODES.usage;
    }
    if (isCircuitOpenError(err)) {
      io.stderr.write(`${name}: ${stopMessage(err, { region: context.client.region, endpointUrl: context.client.endpoint.href })}; the records in flight went back to the stream\n`);
      io.stderr.write(`${name}: ${jetStreamSummaryLine(stats)} · stopped by the breaker\n`);
      return EXIT_CODES.failed;
    }
    io.stderr.write(`${name}: ${jetStreamSummaryLine(stats)} · stopped by an error\n`);
    throw err;
  } finally {
    removeSignal();
  }
}
