/**
 * What the built CLI loads, seen from inside real processes: a preload (through NODE_OPTIONS)
 * writes every module in `require.cache` to a file when the process exits. Help, version and
 * usage mistakes load only the option tables (no rxjs, undici, client or emulator code); a real
 * `invoke` loads the client and its transport but none of the products it does not use.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/index';
import { bin, childEnv, runCliProcess } from '../integration/cli-process';

let dir: string;
let preload: string;
let emulator: Emulator;

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`node scripts/build.mjs\` (npm test does) before the CLI tests`);
  dir = mkdtempSync(join(tmpdir(), 'sagemaker-rx-start-modules-'));
  preload = join(dir, 'list-modules.js');
  writeFileSync(
    preload,
    "process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_MODULES_FILE, Object.keys(require.cache).join('\\n')));\n",
  );
  emulator = await startEmulator({ endpoints: { echo: { model: 'echo' } } });
});

afterAll(async () => {
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

let runs = 0;
/** Runs the built bin with `args` and returns its exit code and the paths of every module it loaded. */
async function loadedBy(args: string[]): Promise<{ code: number | null; stderr: string; modules: string[] }> {
  const file = join(dir, `loaded-${++runs}.txt`);
  const run = await runCliProcess(args, { env: childEnv({ NODE_OPTIONS: `--require "${preload}"`, LOADED_MODULES_FILE: file }) });
  return { code: run.code, stderr: run.stderr, modules: readFileSync(file, 'utf8').split('\n').filter(Boolean) };
}

const under = (...segments: string[]) => (path: string) => path.includes(`${sep}${segments.join(sep)}${sep}`);
const HEAVY = {
  rxjs: under('node_modules', 'rxjs'),
  undici: under('node_modules', 'undici'),
  smithy: under('node_modules', '@smithy'),
  emulator: under('cjs', 'emulator'),
  client: under('cjs', 'client'),
  transport: under('cjs', 'transport'),
};
/** Built folders a plain `invoke` has no use for. */
const NOT_FOR_INVOKE = {
  emulator: under('cjs', 'emulator'),
  // enrich-defaults.js is the engine's defaults as plain values (no imports), which the option tables show.
  node: (path: string) => under('cjs', 'node')(path) && !path.endsWith(`${sep}enrich-defaults.js`),
  nats: under('cjs', 'nats'),
  opentelemetry: under('cjs', 'opentelemetry'),
  pipelines: under('cjs', 'operators', 'pipelines'),
  reframing: under('cjs', 'operators', 'reframing'),
  nestjs: under('node_modules', '@nestjs'),
  natsPackages: under('node_modules', '@nats-io'),
  otelPackages: under('node_modules', '@opentelemetry'),
};

const offenders = (modules: string[], kinds: Record<string, (path: string) => boolean>) =>
  Object.entries(kinds).flatMap(([kind, test]) => modules.filter(test).slice(0, 3).map((m) => `${kind}: ${m}`));

describe('modules the CLI loads', () => {
  it.each([
    [['--help'], 0],
    [['-v'], 0],
    [['invoke', '--help'], 0],
    [['enrich', '--help'], 0],
    [['emulator', '--help'], 0],
    [['demo', '-h'], 0],
    [['help', 'enrich'], 0],
    [[], 2],
    [['no-such-command'], 2],
    [['invoke'], 2],
    [['invoke', 'echo', '--no-such-option'], 2],
    [['enrich', 'echo', '--batch-size'], 2],
  ])('sagemaker-rx %j loads no rxjs, undici, client or emulator code', async (args, code) => {
    const run = await loadedBy(args);
    expect(run.code).toBe(code);
    // The preload saw the CLI itself, so an empty list cannot pass for a clean one.
    expect(run.modules.some(under('cjs', 'cli'))).toBe(true);
    expect(offenders(run.modules, HEAVY)).toEqual([]);
  });

  it('a usage error found once invoke runs (no --body) loads none of the products invoke does not use', async () => {
    const run = await loadedBy(['invoke', 'echo']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--body is required');
    expect(offenders(run.modules, NOT_FOR_INVOKE)).toEqual([]);
  });

  it('invoke loads the client, rxjs and undici, and none of the emulator, node, nats, OpenTelemetry, pipelines or reframing code', async () => {
    const run = await loadedBy(['invoke', 'echo', '--body', '{}', '--endpoint-url', emulator.url]);
    expect(run.code).toBe(0);
    // The positive control: what a request needs is there, so the list is the whole picture.
    expect(run.modules.some(HEAVY.rxjs)).toBe(true);
    expect(run.modules.some(HEAVY.undici)).toBe(true);
    expect(run.modules.some(HEAVY.client)).toBe(true);
    expect(offenders(run.modules, NOT_FOR_INVOKE)).toEqual([]);
  });
});
