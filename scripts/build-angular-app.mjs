#!/usr/bin/env node
// Builds examples/angular-app for production with the Angular CLI, on the library as built in
// dist/ (run `npm run build` first). Needs Node >= 22.22; from an older Node it re-runs itself
// under Node 24 through scripts/with-node.mjs.
//
//   node scripts/build-angular-app.mjs        # → examples/angular-app/dist/browser/
//
// The app's node_modules is installed once per lockfile (a stamp holds the lockfile's hash, so a
// clean clone installs and later runs skip it) and the library's current build is copied into
// node_modules/sagemaker-rx on every run: the app always bundles what `npm run build` just made.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runWithNode } from './with-node.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const APP_DIR = join(ROOT, 'examples', 'angular-app');
export const APP_OUTPUT = join(APP_DIR, 'dist', 'browser');
const STAMP = join(APP_DIR, 'node_modules', '.sagemaker-rx-install-stamp');
const NODE_MAJOR = 24;

const run = (command, args) => execFileSync(command, args, { cwd: APP_DIR, stdio: ['ignore', 'inherit', 'inherit'] });

/** The app's lockfile and the library's dependencies: what decides whether node_modules is current. */
function installKey() {
  const lock = readFileSync(join(APP_DIR, 'package-lock.json'));
  const { dependencies, peerDependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return createHash('sha256').update(lock).update(JSON.stringify({ dependencies, peerDependencies, node: process.versions.node.split('.')[0] })).digest('hex');
}

/** Installs the app's dependencies unless the stamp says they are current. */
function install() {
  const key = installKey();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === key) return;
  try {
    run('npm', ['ci', '--no-audit', '--no-fund']);
  } catch {
    // The library's own dependencies changed since the app's lockfile was written.
    process.stderr.write('build-angular-app: npm ci failed, re-resolving with npm install\n');
    run('npm', ['install', '--no-audit', '--no-fund']);
  }
  writeFileSync(STAMP, key);
}

/** Copies the library's current build over the installed copy. */
function syncLibrary() {
  if (!existsSync(join(ROOT, 'dist', 'esm', 'angular', 'index.js'))) throw new Error('build-angular-app: dist/ has no angular build; run `npm run build` first');
  const target = join(APP_DIR, 'node_modules', 'sagemaker-rx');
  rmSync(join(target, 'dist'), { recursive: true, force: true });
  cpSync(join(ROOT, 'dist'), join(target, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(target, 'package.json'));
}

/** Installs (when needed), syncs the library and runs `ng build`; must run on Node >= 22.22. */
export function buildAngularApp() {
  install();
  syncLibrary();
  run('npx', ['ng', 'build', '--configuration', 'production']);
  return APP_OUTPUT;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 22)) {
    buildAngularApp();
  } else {
    runWithNode(NODE_MAJOR, 'node', [fileURLToPath(import.meta.url)], { cwd: ROOT }).then((code) => process.exit(code));
  }
}
