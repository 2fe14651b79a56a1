/**
 * CLI start time as a ratio of `node -e 0` on the same machine in the same run: the built
 * `sagemaker-rx --help` and `sagemaker-rx invoke --help` (argument parsing and the modules they
 * load, no request). Runs alternate the commands; figures are medians of wall time.
 *
 *   npm run build && npx tsx bench/cli-start.ts [--runs 15]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { median } from './lib/stats.js';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'dist', 'cjs', 'cli', 'bin.js');

function main(): void {
  const i = process.argv.indexOf('--runs');
  const runs = i >= 0 ? Number(process.argv[i + 1]) || 15 : 15;
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first`);
  const commands: [string, string[]][] = [
    ['node -e 0', ['-e', '0']],
    ['sagemaker-rx --help', [BIN, '--help']],
    ['sagemaker-rx invoke --help', [BIN, 'invoke', '--help']],
  ];
  const times = commands.map(() => [] as number[]);
  const load = loadavg()[0]!.toFixed(1);
  for (let r = 0; r < runs; r++) {
    commands.forEach(([name, args], k) => {
      const started = performance.now();
      const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      if (run.status !== 0) throw new Error(`${name} exited with ${run.status}: ${run.stderr.toString()}`);
      times[k]!.push(performance.now() - started);
    });
  }
  const base = median(times[0]!);
  process.stdout.write('| command | median wall ms | × node -e 0 |\n| --- | ---: | ---: |\n');
  commands.forEach(([name], k) => {
    const m = median(times[k]!);
    process.stdout.write(`| ${name} | ${m.toFixed(0)} | ${(m / base).toFixed(2)}× |\n`);
  });
  process.stdout.write(`(${runs} alternating runs; load average ${load} before, ${loadavg()[0]!.toFixed(1)} after)\n`);
}

main();
