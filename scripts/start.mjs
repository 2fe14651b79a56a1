#!/usr/bin/env node
// `npm start`: runs the built CLI (`dist/cjs/cli/bin.js`) with the given arguments. When the build
// is missing (install scripts skipped with --ignore-scripts, or a fresh clone before `npm ci`), it
// says so and how to build instead of failing with Node's raw MODULE_NOT_FOUND.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'dist', 'cjs', 'cli', 'bin.js');

if (!existsSync(bin)) {
  process.stderr.write(
    `sagemaker-rx: no build found (${relative(process.cwd(), bin) || bin} is missing).\n` +
      '  npm install builds it through the "prepare" script, unless install scripts were skipped\n' +
      '  (--ignore-scripts, or ignore-scripts=true in .npmrc). Build it now with:\n\n' +
      '    npm run build\n\n' +
      '  then run npm start again.\n',
  );
  process.exit(1);
}
if (!existsSync(join(root, 'node_modules', 'rxjs'))) {
  process.stderr.write('sagemaker-rx: dependencies are not installed: run npm ci (or npm install) first.\n');
  process.exit(1);
}

const child = spawn(process.execPath, [bin, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 143)));
