/**
 * `sagemaker-rx emulator`: runs the local SageMaker Runtime emulator until SIGINT or SIGTERM,
 * printing its URL and the credentials and region to use.
 *
 * This module is the command's name, help and option table only; what it does is
 * `run-emulator.ts`, loaded when it runs, so `--help` does not load the emulator.
 */
import type { Command } from '../args/command.js';

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
    const { runEmulator } = await import('./run-emulator.js');
    return runEmulator(args, io);
  },
};
