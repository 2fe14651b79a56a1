/**
 * `sagemaker-rx emulator`: runs the local SageMaker Runtime emulator until SIGINT or SIGTERM,
 * printing its URL and the credentials and region to use.
 */
import { resolve } from 'node:path';
import { EMULATOR_CREDENTIALS, loadEmulatorConfig, startEmulator, type EmulatorOptions, type EndpointConfig, type EndpointModel } from '../../emulator/index.js';
import type { CliIo } from '../cli-io.js';
import type { Command } from '../args/command.js';
import { errorLine } from '../output/error-report.js';
import { EXIT_CODES } from '../output/exit-codes.js';
import { flagOption, numberOption, stringOption } from '../args/option-values.js';
import { UsageError } from '../args/usage-error.js';

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

/** The `emulator` command: runs the emulator until SIGINT/SIGTERM. */
export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'Run the local SageMaker Runtime emulator until Ctrl-C (SIGINT) or SIGTERM.',
  synopsis: '[--port N] [--host H] [--config file.json] [--cors] [--record-requests N]',
  details: `
Serves InvokeEndpoint, InvokeEndpointWithResponseStream and InvokeEndpointAsync on loopback,
verifying SigV4 like the service. The first line on stdout is
  sagemaker-rx emulator listening on http://127.0.0.1:PORT
followed by the region and credentials to use. Without --config the endpoints are echo,
sentiment and generator; --config reads a JSON file shaped like startEmulator's options
(endpoints with models and faults, credentials, region, seed; see docs/emulator.md).
Command-line options win over the file. Stops cleanly on SIGINT/SIGTERM (exit 0).

Example:
  sagemaker-rx emulator --port 8080 &
  AWS_ACCESS_KEY_ID=AKIDEMULATOR AWS_SECRET_ACCESS_KEY=… AWS_REGION=us-east-1 \\
    sagemaker-rx invoke echo --body hello --endpoint-url http://127.0.0.1:8080`,
  positionals: [],
  options: [
    { name: 'port', short: 'p', type: 'string', value: 'N', description: 'Port to listen on (0 = any free port).', default: '0' },
    { name: 'host', type: 'string', value: 'host', description: 'Address to listen on.', default: '127.0.0.1' },
    { name: 'config', type: 'string', value: 'file.json', description: 'Endpoints, faults, credentials, region, seed.' },
    { name: 'seed', type: 'string', value: 'N', description: 'Seed of the fault random draws (repeatable runs).' },
    { name: 'no-auth', type: 'boolean', description: 'Accept requests without checking SigV4.' },
    { name: 'cors', type: 'boolean', description: 'Answer CORS preflights so a browser page can call it (AWS itself serves no CORS).' },
    { name: 'record-requests', type: 'string', value: 'N', description: 'Requests kept in the in-memory log (0 = none).', default: '1000' },
  ],
  async run(args, io) {
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
  },
};
