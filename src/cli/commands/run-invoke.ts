/**
 * What `sagemaker-rx invoke` does once its arguments parse (the option table is `invoke.ts`):
 * one InvokeEndpoint call, the answer to `--out` or stdout, the response metadata as JSON.
 * Loaded only when the command runs. It imports the client and the three operators it uses from
 * their own modules rather than the package index, so a run does not load the pipelines,
 * reframing and async-result code it never calls.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SageMakerRuntime } from '../../client/sagemaker-runtime.js';
import { output } from '../../events/output.js';
import type { InvokeEndpointInput, InvokeEndpointOutput } from '../../model/shapes.js';
import { retryInvocation } from '../../operators/resilience/retry-invocation.js';
import { timeoutInvocation } from '../../operators/resilience/timeout-invocation.js';
import { clientConfigFromArgs } from '../args/aws-options.js';
import { readBodyArgument } from '../args/body-argument.js';
import type { ParsedArgs } from '../args/command.js';
import { numberOption, stringOption } from '../args/option-values.js';
import { UsageError } from '../args/usage-error.js';
import { writeText, type CliIo } from '../cli-io.js';
import { EXIT_CODES, SIGNAL_EXIT_CODES } from '../output/exit-codes.js';
import { runUntilSignal } from '../run-until-signal.js';
import { INVOKE_MEMBER_OPTIONS } from './invoke.js';

/** The output members printed as metadata, in the AWS CLI's order. */
const METADATA_MEMBERS = ['ContentType', 'InvokedProductionVariant', 'CustomAttributes', 'NewSessionId', 'ClosedSessionId'] as const;

/** The metadata JSON `invoke` prints: the output's members except `Body`, undefined ones left out. */
export function invokeMetadata(out: InvokeEndpointOutput): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  for (const key of METADATA_MEMBERS) if (out[key] !== undefined) meta[key] = out[key];
  meta.$metadata = out.$metadata;
  return meta;
}

/** Runs `invoke` with parsed arguments and resolves with its exit code. */
export async function runInvoke(args: ParsedArgs, io: CliIo): Promise<number> {
  const [endpointName] = args.positionals as [string];
  const bodyArg = stringOption(args, 'body');
  if (bodyArg === undefined) throw new UsageError('--body is required', 'invoke');
  const retries = numberOption(args, 'retries', { integer: true, min: 0 }, 'invoke') ?? 2;
  const timeoutMs = numberOption(args, 'timeout-ms', { min: 1 }, 'invoke');
  const outPath = stringOption(args, 'out');
  const clientConfig = clientConfigFromArgs(args, 'invoke', io.stderr);

  const input: InvokeEndpointInput = { EndpointName: endpointName, Body: await readBodyArgument(bodyArg, io, 'invoke') };
  for (const spec of INVOKE_MEMBER_OPTIONS) {
    const value = stringOption(args, spec.name);
    if (value !== undefined) (input as unknown as Record<string, string>)[spec.member] = value;
  }

  const client = new SageMakerRuntime(clientConfig);
  try {
    const attempt$ = timeoutMs === undefined ? client.invokeEndpoint$(input) : client.invokeEndpoint$(input).pipe(timeoutInvocation(timeoutMs));
    const outcome = await runUntilSignal(
      attempt$.pipe(retryInvocation({ maxAttempts: retries + 1, quota: client.retryQuota }), output()),
      io,
    );
    if (outcome.signal) return SIGNAL_EXIT_CODES[outcome.signal];
    const answer = outcome.value as InvokeEndpointOutput;
    const metadata = `${JSON.stringify(invokeMetadata(answer), null, 2)}\n`;
    if (outPath === undefined || outPath === '-') {
      await writeText(io.stdout, answer.Body);
      // On a terminal, end the answer's line so the metadata and the prompt start on their own.
      if (io.stdout.isTTY && answer.Body.byteLength > 0 && answer.Body[answer.Body.byteLength - 1] !== 0x0a) await writeText(io.stdout, '\n');
      await writeText(io.stderr, metadata);
    } else {
      await writeFile(resolve(io.cwd, outPath), answer.Body);
      await writeText(io.stdout, metadata);
    }
    return EXIT_CODES.ok;
  } finally {
    await client.destroy();
  }
}
