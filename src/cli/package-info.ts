/**
 * Where the package is installed and its version, found by walking up from this file to the
 * nearest `package.json` named `sagemaker-rx` (works from `src/` under tsx and from `dist/cjs/`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'sagemaker-rx';

/** The folder holding this package's `package.json`, or undefined if it cannot be found. */
export function packageRoot(): string | undefined {
  // `__dirname` exists in the CommonJS build (the bin); the ES build falls back to the script's folder.
  let dir = typeof __dirname === 'string' ? __dirname : dirname(process.argv[1] ?? process.cwd());
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        if ((JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
      } catch {
        /* not ours; keep walking */
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The package version from `package.json`, or `0.0.0-unknown`. */
export function packageVersion(): string {
  const root = packageRoot();
  if (root === undefined) return '0.0.0-unknown';
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0-unknown';
}
