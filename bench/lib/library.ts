/**
 * Loads sagemaker-rx at run time, so the harness runs, and reports "pending", while a part of
 * the library is still being written. From the compiled build `run.ts` makes (directory in
 * `SAGEMAKER_RX_BENCH_DIR`, see lib/build-library.ts), else from `src/` through tsx. The public
 * index comes first; the client and operator modules fill in names it does not export yet.
 * Uses `require`, never `import()` (see lib/child.ts).
 */
import { join } from 'node:path';
import { LIBRARY_DIR_ENV } from './build-library.js';

const MODULES = ['index.js'] as const;

export type LibraryExports = Readonly<Record<string, unknown>>;

/** Where the library is loaded from: the compiled build, or `src/` (through tsx). */
export function librarySource(): string {
  return process.env[LIBRARY_DIR_ENV] ?? join(__dirname, '..', '..', 'src');
}

/** Every export found, and why a module could not be loaded (if one could not). */
export function loadLibrary(): { exports: LibraryExports; problems: string[] } {
  const exports: Record<string, unknown> = {};
  const problems: string[] = [];
  const dir = librarySource();
  for (const file of MODULES) {
    try {
      const mod = require(join(dir, file)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) if (!(name in exports) && name !== 'default') exports[name] = value;
    } catch (err) {
      problems.push(`${file}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }
  return { exports, problems };
}

/** The named functions/classes, or a sentence saying which are missing. */
export function requireExports<K extends string>(names: readonly K[]): { ok: true; exports: Record<K, unknown> } | { ok: false; reason: string } {
  const { exports, problems } = loadLibrary();
  const missing = names.filter((n) => typeof exports[n] !== 'function');
  if (missing.length === 0) return { ok: true, exports: exports as Record<K, unknown> };
  const why = problems.length > 0 ? ` (${problems.join('; ')})` : '';
  return { ok: false, reason: `sagemaker-rx does not export ${missing.map((m) => `\`${m}\``).join(', ')} yet${why}` };
}
