/**
 * The options every command that calls AWS takes, the AWS CLI way: `--region`, `--profile`,
 * `--endpoint-url`; anything not given comes from the environment and the default chain
 * (`AWS_REGION`, `AWS_DEFAULT_REGION`, `AWS_PROFILE`, `AWS_ACCESS_KEY_ID`, shared files, SSO, IMDS…).
 */
import type { Writable } from 'node:stream';
import type { SageMakerRuntimeConfig } from '../../client/config.js';
import type { OptionSpec, ParsedArgs } from './command.js';
import { createDebugLogger } from '../output/debug-logger.js';
import { flagOption, numberOption, stringOption } from './option-values.js';

/** `--region`, `--profile`, `--endpoint-url`, `--max-connections`, `--debug`. */
export const AWS_OPTIONS: OptionSpec[] = [
  { name: 'region', type: 'string', value: 'region', description: 'AWS region.', default: 'AWS_REGION, AWS_DEFAULT_REGION, then the profile' },
  { name: 'profile', type: 'string', value: 'name', description: 'Shared config/credentials profile.', default: "AWS_PROFILE or 'default'" },
  { name: 'endpoint-url', type: 'string', value: 'url', description: 'Send requests to this URL (the emulator, a VPC endpoint).' },
  { name: 'max-connections', type: 'string', value: 'N', description: 'Connections kept open to the endpoint.', default: '50' },
  { name: 'debug', type: 'boolean', description: 'Print what each attempt did (sent, status, end, retries) on stderr, secrets redacted.' },
];

/** The client config the AWS options ask for; unset options are left to the client's own defaults. */
export function clientConfigFromArgs(args: ParsedArgs, command: string, stderr?: Writable): SageMakerRuntimeConfig {
  const region = stringOption(args, 'region');
  const profile = stringOption(args, 'profile');
  const endpoint = stringOption(args, 'endpoint-url');
  const maxConnections = numberOption(args, 'max-connections', { integer: true, min: 1 }, command);
  return {
    ...(region !== undefined ? { region } : {}),
    ...(profile !== undefined ? { profile } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(maxConnections !== undefined ? { maxConnections } : {}),
    ...(stderr !== undefined && flagOption(args, 'debug') ? { logger: createDebugLogger(stderr) } : {}),
  };
}
