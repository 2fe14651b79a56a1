/**
 * Loads sagemaker-rx from `src/` at run time (through tsx), so the harness runs, and reports
 * "pending", while a part of the library is still being written. The public index comes first;
 * the client and operator files fill in names the index does not export yet.
 */
const MODULES = ['../../src/index.js', '../../src/operators/index.js', '../../src/client/sagemaker-runtime.js'] as const;

export type LibraryExports = Readonly<Record<string, unknown>>;

/** Every export found, and why a module could not be loaded (if one could not). Uses `require` (see lib/child.ts). */
export function loadLibrary(): { exports: LibraryExports; problems: string[] } {
  const exports: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const specifier of MODULES) {
    try {
      const mod = require(specifier) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) if (!(name in exports) && name !== 'default') exports[name] = value;
    } catch (err) {
      problems.push(`${specifier.replace('../../', '')}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
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
