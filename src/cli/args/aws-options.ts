/**
 * The options every command that calls AWS takes, the AWS CLI way: `--region`, `--profile`,
 * `--endpoint-url`; anything not given comes from the environment and the default chain
 * (`AWS_REGION`, `AWS_DEFAULT_REGION`, `AWS_PROFILE`, `AWS_ACCESS_KEY_ID`, shared files, SSO, IMDS…).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { SageMakerRuntimeConfig } from '../../client/config.js';
import type { OptionSpec, ParsedArgs } from './command.js';
import { createDebugLogger } from '../output/debug-logger.js';
import { flagOption, numberOption, stringOption } from './option-values.js';
import { UsageError } from './usage-error.js';

/** The AWS CLI's "0 = wait without limit", as the longest timer Node keeps (about 24.8 days). */
const NO_LIMIT_MS = 2 ** 31 - 1;

/** `--region`, `--profile`, `--endpoint-url`, `--max-connections`, `--debug`, and the AWS CLI's TLS and timeout options. */
export const AWS_OPTIONS: OptionSpec[] = [
  { name: 'region', type: 'string', value: 'region', description: 'AWS region.', default: 'AWS_REGION, AWS_DEFAULT_REGION, then the profile' },
  { name: 'profile', type: 'string', value: 'name', description: 'Shared config/credentials profile.', default: "AWS_PROFILE or 'default'" },
  { name: 'endpoint-url', type: 'string', value: 'url', description: 'Send requests to this URL (the emulator, a VPC endpoint).' },
  { name: 'max-connections', type: 'string', value: 'N', description: 'Connections kept open to the endpoint.', default: '50' },
  { name: 'debug', type: 'boolean', description: 'Print what each attempt did (sent, status, end, retries) on stderr, secrets redacted.' },
  { name: 'ca-bundle', type: 'string', value: 'file', description: 'PEM file of the certificate authorities to trust.', default: 'AWS_CA_BUNDLE, then the profile ca_bundle' },
  { name: 'no-verify-ssl', type: 'boolean', description: 'Do not verify the endpoint certificate (tests against a self-signed endpoint only).' },
  { name: 'cli-connect-timeout', type: 'string', value: 's', description: 'Seconds to wait for a connection; 0 waits without limit.', default: '10' },
  { name: 'cli-read-timeout', type: 'string', value: 's', description: 'Seconds to wait for the answer headers and between body chunks; 0 waits without limit.', default: '70' },
];

/** The client config the AWS options ask for; unset options are left to the client's own defaults. */
export function clientConfigFromArgs(args: ParsedArgs, command: string, stderr?: Writable): SageMakerRuntimeConfig {
  const region = stringOption(args, 'region');
  const profile = stringOption(args, 'profile');
  const endpoint = stringOption(args, 'endpoint-url');
  const maxConnections = numberOption(args, 'max-connections', { integer: true, min: 1 }, command);
  const caBundle = stringOption(args, 'ca-bundle');
  let ca: string | undefined;
  if (caBundle !== undefined) {
    try {
      ca = readFileSync(resolve(caBundle), 'utf8');
    } catch (err) {
      throw new UsageError(`--ca-bundle: cannot read ${caBundle}: ${err instanceof Error ? err.message : String(err)}`, command);
    }
  }
  const connect = numberOption(args, 'cli-connect-timeout', { min: 0 }, command);
  const read = numberOption(args, 'cli-read-timeout', { min: 0 }, command);
  const ms = (seconds: number) => (seconds === 0 ? NO_LIMIT_MS : Math.max(1, Math.round(seconds * 1000)));
  return {
    ...(ca !== undefined ? { ca } : {}),
    ...(flagOption(args, 'no-verify-ssl') ? { rejectUnauthorized: false } : {}),
    ...(connect !== undefined ? { connectTimeoutMs: ms(connect) } : {}),
    ...(read !== undefined ? { headersTimeoutMs: ms(read), bodyTimeoutMs: ms(read) } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(profile !== undefined ? { profile } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(maxConnections !== undefined ? { maxConnections } : {}),
    ...(stderr !== undefined && flagOption(args, 'debug') ? { logger: createDebugLogger(stderr) } : {}),
  };
}
