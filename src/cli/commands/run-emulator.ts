/**
 * What `sagemaker-rx emulator` does once its arguments parse (the option table is `emulator.ts`):
 * runs the local SageMaker Runtime emulator until SIGINT or SIGTERM, printing its URL and the
 * credentials and region to use. Loaded only when the command runs.
 */
import { resolve } from 'node:path';
import { EMULATOR_CREDENTIALS, loadEmulatorConfig, startEmulator, type EmulatorOptions, type EndpointConfig, type EndpointModel } from '../../emulator/index.js';
import type { ParsedArgs } from '../args/command.js';
import { flagOption, numberOption, stringOption } from '../args/option-values.js';
import { UsageError } from '../args/usage-error.js';
import type { CliIo } from '../cli-io.js';
import { errorLine } from '../output/error-report.js';
import { EXIT_CODES } from '../output/exit-codes.js';

/** The built-in endpoints, listed when the config names none. */
const DEFAULT_ENDPOINTS_TEXT = 'echo (echo), sentiment (sentiment), generator (text-generator)';

const modelName = (model: EndpointModel | undefined): string => (typeof model === 'string' ? model : 'function');

/** What an endpoint runs, for the listening banner: its model, or its kind and members. */
function describeEndpoint(config: EndpointConfig): string {
  if (config.variants) return `variants: ${Object.entries(config.variants).map(([v, c]) => `${v}=${modelName(c.model)}`).join(', ')}`;
  if (config.inferenceComponents) return `components: ${Object.entries(config.inferenceComponents).map(([c, h]) => `${c}=${modelName(h.model)}`).join(', ')}`;
  if (config.containers) return `containers: ${Object.entries(config.containers).map(([c, h]) => `${c}=${modelName(h.model)}`).join(', ')}`;
  if (config.targetModels) return `${modelName(config.model)}, models: ${config.targetModels.join(', ')}`;
  return modelName(config.model);
}

/** Waits for SIGINT or SIGTERM. */
function untilSignal(io: Pick<CliIo, 'onSignal'>): Promise<'SIGINT' | 'SIGTERM'> {
  return new Promise((done) => {
    const remove = io.onSignal((signal) => {
      remove();
      done(signal);
    });
  });
}

/** Runs `emulator` with parsed arguments until SIGINT/SIGTERM and resolves with its exit code. */
export async function runEmulator(args: ParsedArgs, io: CliIo): Promise<number> {
  const name = 'emulator';
  const port = numberOption(args, 'port', { integer: true, min: 0, max: 65535 }, name);
  const seed = numberOption(args, 'seed', { integer: true }, name);
  const host = stringOption(args, 'host');
  const recordRequests = numberOption(args, 'record-requests', { integer: true, min: 0 }, name);
  const configPath = stringOption(args, 'config');
  let fileOptions: EmulatorOptions = {};
  if (configPath !== undefined) {
    try {
      fileOptions = await loadEmulatorConfig(resolve(io.cwd, configPath));
    } catch (err) {
      throw new UsageError(`--config: ${err instanceof Error ? err.message : String(err)}`, name);
    }
  }
  const options: EmulatorOptions = {
    ...fileOptions,
    ...(port !== undefined ? { port } : {}),
    ...(host !== undefined ? { host } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(flagOption(args, 'no-auth') ? { credentials: false as const } : {}),
    ...(flagOption(args, 'cors') ? { cors: true } : {}),
    ...(recordRequests !== undefined ? { recordRequests } : {}),
  };
  let emulator;
  try {
    emulator = await startEmulator(options);
  } catch (err) {
    // A bad option value (--host '', a port in the config out of range) is a usage error.
    if (err instanceof Error && err.name === 'EmulatorConfigError') throw new UsageError(err.message, name);
    throw err;
  }
  const signal = untilSignal(io);
  const credential = options.credentials === false ? undefined : (options.credentials?.[0] ?? EMULATOR_CREDENTIALS);
  const endpoints = options.endpoints
    ? Object.entries(options.endpoints)
        .map(([endpoint, config]) => `${endpoint} (${describeEndpoint(config)})`)
        .join(', ')
    : DEFAULT_ENDPOINTS_TEXT;
  io.stdout.write(
    [
      `sagemaker-rx emulator listening on ${emulator.url}`,
      `  region:            ${emulator.region}`,
      credential
        ? `  access key id:     ${credential.accessKeyId}\n  secret access key: ${credential.secretAccessKey}`
        : '  credentials:       not checked (--no-auth)',
      `  endpoints:         ${endpoints}`,
      ...(options.cors ? ['  cors:              on (preflights answered, response headers exposed)'] : []),
      'Try:',
      credential
        ? `  AWS_ACCESS_KEY_ID=${credential.accessKeyId} AWS_SECRET_ACCESS_KEY=${credential.secretAccessKey} AWS_REGION=${emulator.region} \\`
        : `  AWS_REGION=${emulator.region} \\`,
      `    sagemaker-rx invoke echo --body hello --endpoint-url ${emulator.url}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  const received = await signal;
  try {
    await emulator.close();
  } catch (err) {
    io.stderr.write(`sagemaker-rx emulator: error while closing: ${errorLine(err)}\n`);
    return EXIT_CODES.failed;
  }
  // The log is a bounded ring: the served count comes from the counters, which see every request.
  io.stdout.write(`sagemaker-rx emulator stopped (${received}, ${emulator.stats.total} requests served)\n`);
  return EXIT_CODES.ok;
}
