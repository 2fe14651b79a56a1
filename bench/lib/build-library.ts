/**
 * Compiles sagemaker-rx's `src/` into a private CommonJS build for the run, with the compiler
 * and module settings of `npm run build`'s `dist/cjs`: the benchmark measures the library as it
 * ships (plain tsc output), from the working tree as it is, without touching the shared `dist/`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The environment variable that points workers at the compiled library (see lib/library.ts). */
export const LIBRARY_DIR_ENV = 'SAGEMAKER_RX_BENCH_DIR';
/** The environment variable that points the `…-baseline` clients at the build of `--baseline REF`. */
export const BASELINE_DIR_ENV = 'SAGEMAKER_RX_BENCH_BASELINE_DIR';

const ROOT = join(__dirname, '..', '..');

/**
 * Compiles into `node_modules/.cache/sagemaker-rx-bench/<pid>/cjs` (type checking off: that is
 * the build's job) and returns the directory and a `remove()` for the end of the run. Inside
 * `node_modules/` so the build resolves the package's dependencies; per process so two runs, or a
 * test cleaning a scratch folder, cannot pull it away mid-run.
 */
export function buildLibrary(ref?: string): { dir: string; ms: number; remove(): void } {
  const started = performance.now();
  const runDir = join(ROOT, 'node_modules', '.cache', 'sagemaker-rx-bench', ref === undefined ? String(process.pid) : `${process.pid}-baseline`);
  const dir = join(runDir, 'cjs');
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let project = ROOT;
  if (ref !== undefined) {
    // The committed src/ of `ref`, beside the working tree's node_modules (so it resolves the same dependencies).
    project = join(runDir, 'tree');
    mkdirSync(project, { recursive: true });
    const archive = execFileSync('git', ['-C', ROOT, 'archive', '--format=tar', ref, 'src', 'tsconfig.json', 'tsconfig.build.json'], { maxBuffer: 256 * 1024 * 1024 });
    execFileSync('tar', ['-x', '-C', project], { input: archive });
  }
  execFileSync(process.execPath, [
    join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-p', join(project, 'tsconfig.build.json'),
    '--outDir', dir, '--module', 'NodeNext', '--moduleResolution', 'NodeNext',
    '--sourceMap', 'false', '--inlineSources', 'false', '--noCheck',
  ], { stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}\n');
  return { dir, ms: performance.now() - started, remove: () => rmSync(runDir, { recursive: true, force: true }) };
}
