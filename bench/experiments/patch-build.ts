/**
 * Builds patched copies of sagemaker-rx to measure what a change to the library would buy,
 * without touching `src/`: compiles the working tree as `run.ts` does, applies named find/replace
 * patches to the compiled JavaScript, and prints the directory to pass to `run.ts --library`.
 * A patch whose text is not found fails loudly (the source changed: the experiment needs updating).
 *
 *   npx tsx bench/experiments/patch-build.ts OUT_DIR no-abort-after-end lazy-secrets url-cache hex
 *   npx tsx bench/run.ts --library OUT_DIR --clients undici-signed,sagemaker-rx --concurrency 16,64 --bodies 1024 --no-pipelines --out -
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildLibrary } from '../lib/build-library.js';

interface Patch {
  file: string;
  find: string;
  replace: string;
}

/** Each experiment: what it changes, as patches of the compiled CommonJS. */
const EXPERIMENTS: Readonly<Record<string, { what: string; patches: Patch[] }>> = {
  'no-abort-after-end': {
    what: 'attempt teardown aborts only an unfinished attempt (no AbortError DOMException per success)',
    patches: [{ file: 'client/attempt.js', find: 'return () => controller.abort();', replace: 'return () => { if (!ended) controller.abort(); };' }],
  },
  'lazy-secrets': {
    what: 'secretsOf(signed headers) only when an error event is emitted',
    patches: [
      { file: 'client/attempt.js', find: '(0, redact_js_1.scrubSecrets)(event.error, secrets);', replace: '(0, redact_js_1.scrubSecrets)(event.error, Array.isArray(secrets) ? secrets : (0, redact_js_1.secretsOf)(secrets));' },
      { file: 'client/attempt.js', find: 'secrets = (0, redact_js_1.secretsOf)(headers);', replace: 'secrets = headers;' },
    ],
  },
  'url-cache': {
    what: 'the undici transport parses each request URL once (a small cache) instead of new URL() per request',
    patches: [
      { file: 'transport/undici-transport.js', find: 'const url = new URL(request.url);', replace: 'let url = URL_CACHE.get(request.url); if (url === undefined) { const u = new URL(request.url); url = { origin: u.origin, pathname: u.pathname, search: u.search }; if (URL_CACHE.size > 1000) URL_CACHE.clear(); URL_CACHE.set(request.url, url); }' },
      { file: 'transport/undici-transport.js', find: '"use strict";', replace: '"use strict";\nconst URL_CACHE = new Map();' },
    ],
  },
  hex: {
    what: 'payload hash to hex with Buffer#toString instead of a per-byte loop',
    patches: [{ file: 'signing/request-signer.js', find: 'return toHex(await hash.digest());', replace: "return Buffer.from(await hash.digest()).toString('hex');" }],
  },
  'no-abort-controller': {
    what: 'MEASUREMENT ONLY (breaks cancellation): one shared signal instead of an AbortController per attempt',
    patches: [
      { file: 'client/attempt.js', find: 'const controller = new AbortController();', replace: 'const controller = SHARED_CONTROLLER;' },
      { file: 'client/attempt.js', find: '"use strict";', replace: '"use strict";\nconst SHARED_CONTROLLER = { signal: new AbortController().signal, abort() {} };' },
    ],
  },
};

function main(): void {
  const [outArg, ...names] = process.argv.slice(2);
  if (!outArg || names.length === 0 || names.some((n) => !(n in EXPERIMENTS))) {
    process.stderr.write(`usage: npx tsx bench/experiments/patch-build.ts OUT_DIR EXPERIMENT...\n${Object.entries(EXPERIMENTS).map(([n, e]) => `  ${n.padEnd(20)} ${e.what}`).join('\n')}\n`);
    process.exitCode = 2;
    return;
  }
  const out = resolve(outArg);
  const built = buildLibrary();
  rmSync(out, { recursive: true, force: true });
  cpSync(built.dir, out, { recursive: true });
  built.remove();
  for (const name of names) {
    for (const patch of EXPERIMENTS[name]!.patches) {
      const file = join(out, patch.file);
      const text = readFileSync(file, 'utf8');
      if (!text.includes(patch.find)) throw new Error(`${name}: "${patch.find}" not found in ${patch.file}; the source changed`);
      writeFileSync(file, text.replace(patch.find, patch.replace));
    }
    process.stdout.write(`applied ${name}: ${EXPERIMENTS[name]!.what}\n`);
  }
  process.stdout.write(`${out}\n`);
}

main();
