/**
 * `sagemaker-rx invoke <endpoint> --body <text|@file>`: one InvokeEndpoint call, like
 * `aws sagemaker-runtime invoke-endpoint`. The body goes to `--out` (or stdout); the response
 * metadata is printed as JSON (on stdout when the body went to a file, else on stderr).
 *
 * This module is the command's name, help and option table only; what it does is `run-invoke.ts`,
 * loaded when it runs, so `--help` and a usage error load neither the client nor rxjs.
 */
import { AWS_OPTIONS } from '../args/aws-options.js';
import type { Command } from '../args/command.js';
import { memberOptions } from '../args/member-options.js';

/** Options that set InvokeEndpoint members, one per header member of the model. */
export const INVOKE_MEMBER_OPTIONS = memberOptions('InvokeEndpoint');

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
    ...INVOKE_MEMBER_OPTIONS,
    { name: 'out', short: 'o', type: 'string', value: 'file', description: "Write the answer here ('-' = stdout).", default: 'stdout' },
    { name: 'retries', type: 'string', value: 'N', description: 'Retry a retryable failure up to N times (maxAttempts = N + 1).', default: '2' },
    { name: 'timeout-ms', type: 'string', value: 'ms', description: 'Abort an attempt that has not answered after this long (retryable).' },
    ...AWS_OPTIONS,
  ],
  async run(args, io) {
    const { runInvoke } = await import('./run-invoke.js');
    return runInvoke(args, io);
  },
};
