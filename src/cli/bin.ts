#!/usr/bin/env node
/**
 * The `sagemaker-rx` executable: runs the CLI with the process's arguments and streams, then
 * sets the exit code. Handles left open by a command would keep the process alive, so every
 * command closes what it opened (clients, emulators, files) before it resolves.
 */
import nodeModule from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { processIo } from './cli-io.js';
import { runCli } from './main.js';

// On Node 22.1 and later, V8's compiled code of the modules a run loads (rxjs, undici, the client)
// is kept on disk (in the temp folder) and reused by the next run, which then starts sooner; the
// TypeScript compiler's CLI does the same. NODE_DISABLE_COMPILE_CACHE=1 turns it off; older Nodes
// do not have the function and start as before.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// Node 20's V8 (11.x) compiles undici's HTTP parser (WebAssembly, compiled at the first
// connection) a second time with its optimizing compiler on a background thread, and the process
// waits for that compile before it exits: about 65 ms of CPU and of wall time after the answer is
// printed, for a parser that reads one response. An `invoke` process makes one request, so its
// WebAssembly stays at V8's baseline tier (Liftoff). Set here, for this process only: a V8 flag is
// process-wide, and `runCli` also runs inside other programs (tests). Newer V8s (Node 22 and
// later) optimize only hot functions and are left alone; `enrich` and `demo`, which parse many
// responses, too.
if (process.argv[2] === 'invoke' && Number(process.versions.v8.split('.')[0]) <= 11) setFlagsFromString('--liftoff-only');

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
