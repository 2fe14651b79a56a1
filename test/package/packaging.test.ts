/**
 * What the published package carries besides code: rxjs as a peer (one copy of RxJS in an app),
 * the licence text the `license` field names, a changelog entry for the version, source maps that
 * work without `src/` (which is not shipped), and an `npm start` that explains a missing build.
 *
 * The source-map check reads `dist/` (`npm test` builds first; while developing: `node scripts/build.mjs`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  license: string;
  files: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  engines: { node: string };
};

describe('package.json', () => {
  it('makes rxjs a required peer, kept for development, so an app has one copy of RxJS', () => {
    expect(pkg.dependencies.rxjs).toBeUndefined();
    expect(pkg.peerDependencies.rxjs).toMatch(/^\^7\./);
    expect(pkg.peerDependenciesMeta?.rxjs?.optional).not.toBe(true);
    expect(pkg.devDependencies.rxjs).toBe(pkg.peerDependencies.rxjs);
  });

  it('lets the running Node in by its engines range (the CI runs every supported major)', () => {
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    const [, minMajor, minMinor] = /^>=(\d+)\.(\d+)/.exec(pkg.engines.node)!.map(Number) as [number, number, number];
    expect(major > minMajor || (major === minMajor && minor >= minMinor)).toBe(true);
  });
});

describe('shipped files', () => {
  it('carries the Apache License 2.0 text the license field names', () => {
    expect(pkg.license).toBe('Apache-2.0');
    const text = readFileSync(join(root, 'LICENSE'), 'utf8');
    expect(text).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(text).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    expect(text).toContain('END OF TERMS AND CONDITIONS');
  });

  it('has a changelog entry for the package version', () => {
    expect(readFileSync(join(root, 'CHANGELOG.md'), 'utf8')).toContain(`## ${pkg.version}`);
  });

  it('ships source maps that carry their sources, since src/ is not in the package', () => {
    expect(pkg.files).not.toContain('src');
    for (const folder of ['cjs', 'esm']) {
      const map = JSON.parse(readFileSync(join(root, 'dist', folder, 'client', 'sagemaker-runtime.js.map'), 'utf8')) as { sources: string[]; sourcesContent?: string[] };
      expect(map.sourcesContent).toHaveLength(map.sources.length);
      expect(map.sourcesContent![0]).toBe(readFileSync(join(root, 'src', 'client', 'sagemaker-runtime.ts'), 'utf8'));
    }
  });
});

describe('npm start', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sagemaker-rx-start-'));
    mkdirSync(join(dir, 'scripts'));
    copyFileSync(join(root, 'scripts', 'start.mjs'), join(dir, 'scripts', 'start.mjs'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('explains a missing build and how to make it instead of a raw MODULE_NOT_FOUND', () => {
    const run = spawnSync(process.execPath, [join(dir, 'scripts', 'start.mjs'), 'demo'], { cwd: dir, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no build found');
    expect(run.stderr).toContain('npm run build');
    expect(run.stderr).not.toContain('MODULE_NOT_FOUND');
  });

  it('runs the built CLI with its arguments when the build is there', () => {
    expect(existsSync(join(root, 'dist', 'cjs', 'cli', 'bin.js'))).toBe(true);
    const out = execFileSync(process.execPath, [join(root, 'scripts', 'start.mjs'), '--version'], { cwd: root, encoding: 'utf8' });
    expect(out.trim()).toBe(pkg.version);
  });
});
