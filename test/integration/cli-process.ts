// What the CLI tests share: where the built bin is, and the environment of every child process.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMULATOR_CREDENTIALS, EMULATOR_REGION } from '../../src/emulator/index';

export const root = join(__dirname, '..', '..');
export const bin = join(root, 'dist', 'cjs', 'cli', 'bin.js');

/** Environment of every child: the emulator's key pair, and nothing from the machine's AWS setup. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    AWS_REGION: EMULATOR_REGION,
    AWS_CONFIG_FILE: join(tmpdir(), 'sagemaker-rx-no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'sagemaker-rx-no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}
