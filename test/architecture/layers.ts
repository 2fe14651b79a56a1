/**
 * The layers of src/ and the rule between them: every import points down. Facts at the bottom
 * (model, defaults), pure policy above them, I/O in the middle, composition on top, products
 * (subpaths, emulator, testing kit, CLI) outside. A folder may import its own files and any
 * lower layer; never a higher one, never a sibling of the same rank, and the core never a product.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Rank of each part of the core; a part may import only parts of lower rank. */
export const CORE_RANKS: Readonly<Record<string, number>> = {
  'model': 0,
  'defaults.ts': 1,
  'errors': 2,
  'retry': 3,
  'events': 4,
  'protocol': 5,
  'credentials': 6,
  'signing': 7,
  'transport': 7,
  'diagnostics': 8,
  'platform': 9,
  'client': 10,
  'operators/resilience': 11,
  'operators/reframing': 11,
  'operators/pipelines': 12,
  'index.ts': 13,
};

/** Products on top of the core: each may import the core and the products listed for it. */
export const PRODUCTS: Readonly<Record<string, readonly string[]>> = {
  node: [],
  nats: ['node'],
  nestjs: [],
  angular: [],
  opentelemetry: [],
  emulator: [],
  testing: ['emulator'],
  cli: ['node', 'nats', 'emulator', 'opentelemetry'],
};

/** Where Node-only modules (`node:*`, undici) may be imported. */
export const NODE_ONLY_PARTS: ReadonlySet<string> = new Set(['platform', 'transport', 'credentials', 'diagnostics', 'node', 'nats', 'emulator', 'testing', 'cli', 'opentelemetry', 'nestjs']);

export interface ImportEdge {
  /** Importing file, relative to src/. */
  readonly from: string;
  /** The module specifier as written. */
  readonly specifier: string;
  /** For a relative import, the imported file relative to src/. */
  readonly to?: string;
}

/** The part of src/ a file belongs to: `client`, `operators/pipelines`, `index.ts`, … */
export function partOf(file: string): string {
  const segments = file.split('/');
  if (segments.length === 1) return segments[0]!;
  if (segments[0] === 'operators' && segments.length > 2) return `operators/${segments[1]}`;
  return segments[0]!;
}

/** Why an import breaks the layering, or `undefined` when it points down. */
export function violation(edge: ImportEdge): string | undefined {
  const from = partOf(edge.from);
  if (edge.to === undefined) {
    const nodeOnly = edge.specifier.startsWith('node:') || edge.specifier === 'undici' || edge.specifier.startsWith('undici/');
    if (nodeOnly && !NODE_ONLY_PARTS.has(from) && !edge.from.endsWith('.browser.ts')) {
      return `${edge.from} imports the Node-only module '${edge.specifier}' (allowed only in ${[...NODE_ONLY_PARTS].join(', ')})`;
    }
    return undefined;
  }
  const to = partOf(edge.to);
  if (from === to) return undefined;
  const fromRank = CORE_RANKS[from];
  const toRank = CORE_RANKS[to];
  if (fromRank !== undefined) {
    if (toRank === undefined) return `${edge.from} (core: ${from}) imports the product ${edge.to}`;
    if (toRank >= fromRank) return `${edge.from} (${from}, rank ${fromRank}) imports ${edge.to} (${to}, rank ${toRank}): imports must point down`;
    return undefined;
  }
  const allowed = PRODUCTS[from];
  if (allowed === undefined) return `${edge.from} is in '${from}', a part of src/ the layering does not know: add it to test/architecture/layers.ts`;
  if (toRank !== undefined) return undefined;
  if (!allowed.includes(to)) return `${edge.from} (product ${from}) imports ${edge.to} (product ${to}), which it may not`;
  return undefined;
}

const IMPORT = /(?:^|\s)(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[^.\w])import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

/** Every import of every .ts file under `srcDir`. */
export function importEdges(srcDir: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) {
        const from = relative(srcDir, path);
        const text = readFileSync(path, 'utf8');
        for (const match of text.matchAll(IMPORT)) {
          const specifier = (match[1] ?? match[2] ?? match[3])!;
          if (!specifier.startsWith('.')) {
            edges.push({ from, specifier });
            continue;
          }
          const target = relative(srcDir, resolve(dirname(path), specifier.replace(/\.js$/, '.ts')));
          edges.push({ from, specifier, to: target.endsWith('.ts') ? target : `${target}.ts` });
        }
      }
    }
  };
  walk(srcDir);
  return edges;
}
