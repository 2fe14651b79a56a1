#!/usr/bin/env node
/**
 * The `sagemaker-rx` executable: runs the CLI with the process's arguments and streams, then
 * sets the exit code. Handles left open by a command would keep the process alive, so every
 * command closes what it opened (clients, emulators, files) before it resolves.
 */
import nodeModule from 'node:module';
import { processIo } from './cli-io.js';
import { runCli } from './main.js';

// On Node 22.1 and later, V8's compiled code of the modules a run loads (rxjs, undici, the client)
// is kept on disk (in the temp folder) and reused by the next run, which then starts sooner; the
// TypeScript compiler's CLI does the same. NODE_DISABLE_COMPILE_CACHE=1 turns it off; older Nodes
// do not have the function and start as before.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// A closed pipe on stdout (`sagemaker-rx enrich … | head`) ends the run quietly, as Unix tools do.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`sagemaker-rx: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
