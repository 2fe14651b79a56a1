/**
 * The names each entry point of the package exports, and whether each is a value or only a
 * type. A change to this list is a change to the public API: when it is intended, update the
 * snapshot (`npx jest test/architecture -u`) in the same commit and say so in its message.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');

/** `src/…/index.ts` of every subpath in package.json `exports` (from its `types` file). */
function entryPoints(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { types?: string } | string> };
  const entries: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string' || target.types === undefined) continue;
    entries[subpath] = join(ROOT, target.types.replace(/^\.\/dist\/types\//, 'src/').replace(/\.d\.ts$/, '.ts'));
  }
  return entries;
}

function exportsOf(files: readonly string[]): Record<string, string[]> {
  const program = ts.createProgram([...files], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    experimentalDecorators: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const result: Record<string, string[]> = {};
  for (const file of files) {
    const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
    result[file] = checker
      .getExportsOfModule(moduleSymbol)
      .map((s) => {
        const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
        return `${s.name}${target.flags & ts.SymbolFlags.Value ? '' : ' (type)'}`;
      })
      .sort();
  }
  return result;
}

describe('the public surface', () => {
  const entries = entryPoints();
  const lists = exportsOf(Object.values(entries));

  it.each(Object.keys(entries))('of %s is the listed set of names', (subpath) => {
    expect(lists[entries[subpath]!]).toMatchSnapshot();
  });

  it('exports no internal helper from the main entry', () => {
    const main = lists[entries['.']!]!;
    for (const internal of ['settleInvocation', 'resolveCodec', 'errorEvent', 'createAdaptiveRate', 'THROTTLING_ERROR_NAMES', 'RETRY_COST']) {
      expect(main).not.toContain(internal);
    }
  });
});
