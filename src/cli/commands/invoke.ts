/**
 * `sagemaker-rx invoke <endpoint> --body <text|@file>`: one InvokeEndpoint call, like
 * `aws sagemaker-runtime invoke-endpoint`. The body goes to `--out` (or stdout); the response
 * metadata is printed as JSON (on stdout when the body went to a file, else on stderr).
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SageMakerRuntime } from '../../client/sagemaker-runtime.js';
import type { InvokeEndpointInput, InvokeEndpointOutput } from '../../model/shapes.js';
import { output, retryInvocation, timeoutInvocation } from '../../index.js';
import { AWS_OPTIONS, clientConfigFromArgs } from '../args/aws-options.js';
import { memberOptions } from '../args/member-options.js';
import { readBodyArgument } from '../args/body-argument.js';
import { writeText } from '../cli-io.js';
import type { Command } from '../args/command.js';
import { EXIT_CODES, SIGNAL_EXIT_CODES } from '../output/exit-codes.js';
import { numberOption, stringOption } from '../args/option-values.js';
import { runUntilSignal } from '../run-until-signal.js';
import { UsageError } from '../args/usage-error.js';

/** Options that set InvokeEndpoint members, one per header member of the model. */
const MEMBER_OPTIONS = memberOptions('InvokeEndpoint');

/** The output members printed as metadata, in the AWS CLI's order. */
const METADATA_MEMBERS = ['ContentType', 'InvokedProductionVariant', 'CustomAttributes', 'NewSessionId', 'ClosedSessionId'] as const;

/** The metadata JSON `invoke` prints: the output's members except `Body`, undefined ones left out. */
export function invokeMetadata(out: InvokeEndpointOutput): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  for (const key of METADATA_MEMBERS) if (out[key] !== undefined) meta[key] = out[key];
  meta.$metadata = out.$metadata;
  return meta;
}

/** The `invoke` command: one InvokeEndpoint call. */
export const invokeCommand: Command = {
  name: 'invoke',
  summary: 'Invoke an endpoint once and print its answer and the response metadata.',
  synopsis: '<endpoint> --body <text|@file> [options]',
  details: `
The body is the text given, or a file's bytes with --body @file (also fileb://file), or stdin
with --body @-. The answer's bytes go to --out, or to stdout when --out is absent or '-'.
The response metadata (ContentType, InvokedProductionVariant, CustomAttributes, NewSessionId,
ClosedSessionId, $metadata) is printed as JSON: on stdout when --out is a file, else on stderr.

Exit codes: 0 answered, 1 the call failed (the error's name and message on stderr),
2 bad usage or a request that fails validation (nothing sent).

Example:
  sagemaker-rx invoke reviews --body '{"text":"great"}' --content-type application/json`,
  positionals: ['endpoint'],
  options: [
    { name: 'body', type: 'string', value: 'text|@file', description: 'The request body (required).' },
    ...MEMBER_OPTIONS,
    { name: 'out', short: 'o', type: 'string', value: 'file', description: "Write the answer here ('-' = stdout).", default: 'stdout' },
    { name: 'retries', type: 'string', value: 'N', description: 'Retry a retryable failure up to N times (maxAttempts = N + 1).', default: '2' },
    { name: 'timeout-ms', type: 'string', value: 'ms', description: 'Abort an attempt that has not answered after this long (retryable).' },
    ...AWS_OPTIONS,
  ],
  async run(args, io) {
    const [endpointName] = args.positionals as [string];
    const bodyArg = stringOption(args, 'body');
    if (bodyArg === undefined) throw new UsageError('--body is required', 'invoke');
    const retries = numberOption(args, 'retries', { integer: true, min: 0 }, 'invoke') ?? 2;
    const timeoutMs = numberOption(args, 'timeout-ms', { min: 1 }, 'invoke');
    const outPath = stringOption(args, 'out');
    const clientConfig = clientConfigFromArgs(args, 'invoke', io.stderr);

    const input: InvokeEndpointInput = { EndpointName: endpointName, Body: await readBodyArgument(bodyArg, io, 'invoke') };
    for (const spec of MEMBER_OPTIONS) {
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
  },
};
