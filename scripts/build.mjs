// Builds dist/cjs (CommonJS), dist/esm (ES modules) and dist/types (declarations) from src/
// with the TypeScript compiler alone, then marks each folder's module format for Node.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
const run = (...args) => execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), ...args], { stdio: 'inherit' });
run('--outDir', join(dist, 'cjs'), '--module', 'NodeNext', '--moduleResolution', 'NodeNext');
run('--outDir', join(dist, 'esm'), '--module', 'ES2022', '--moduleResolution', 'Bundler');
run('--outDir', join(dist, 'types'), '--declaration', '--emitDeclarationOnly', '--sourceMap', 'false', '--inlineSources', 'false');

// Each build folder gets its module type and, for bundlers that read the nearest package.json
// (webpack), the root's `browser` swaps of Node-only defaults, relative to that folder.
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const [folder, type] of [['cjs', 'commonjs'], ['esm', 'module']]) {
  const prefix = `./dist/${folder}/`;
  const browser = Object.fromEntries(
    Object.entries(rootPackage.browser ?? {})
      .filter(([from]) => from.startsWith(prefix))
      .map(([from, to]) => [`./${from.slice(prefix.length)}`, `./${to.slice(prefix.length)}`]),
  );
  mkdirSync(join(dist, folder), { recursive: true });
  writeFileSync(join(dist, folder, 'package.json'), JSON.stringify({ type, browser }, null, 2) + '\n');
}
try { chmodSync(join(dist, 'cjs', 'cli', 'bin.js'), 0o755); } catch { /* the CLI is not built yet */ }
