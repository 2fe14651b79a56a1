/**
 * `sagemaker-rx enrich` killed midway and resumed, as real processes against an emulator on port
 * 0: the killed run leaves nothing under the output's name, and `--resume` ends with every record
 * exactly once across the output and the errors file.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/index';
import { partialPathOf } from '../../src/node/atomic-output';
import { bin, childEnv, root, runCliProcess } from './cli-process';

const RECORDS = 3_000;
let emulator: Emulator;
let dir: string;
let input: string;

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`node scripts/build.mjs\` first`);
  emulator = await startEmulator({
    endpoints: {
      // Slow enough that a run takes seconds; records holding POISON fail, so failures interleave.
      picky: { model: 'sentiment', faults: { latencyMs: 4, jitterMs: 4, failWhen: (req) => (req.body.includes('POISON') ? 'modelError' : undefined) } },
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'sagemaker-rx-resume-'));
  input = join(dir, 'input.jsonl');
  const lines = Array.from({ length: RECORDS }, (_, i) => JSON.stringify({ id: `r${i}`, text: i % 37 === 5 ? `POISON ${i}` : `great ${i}` }));
  lines.splice(1234, 0, '{"id": "broken",');
  writeFileSync(input, `${lines.join('\n')}\n`);
});
afterAll(async () => {
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const lineCount = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0);

/** Starts the CLI and SIGKILLs it once its partial output holds at least `atLines` lines. */
async function killMidway(args: string[], partial: string, atLines: number): Promise<void> {
  const child = spawn(process.execPath, [bin, ...args], { env: childEnv(), cwd: root, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  for (;;) {
    if (lineCount(partial) >= atLines) break;
    if (child.exitCode !== null) throw new Error('the run finished before it could be killed');
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  await exited;
}

/** Every input record exactly once across out and errors, by id (the broken line by its raw text). */
function expectEachOnce(out: string, errors: string): void {
  const ids: string[] = [];
  for (const line of readFileSync(out, 'utf8').split('\n').filter(Boolean)) ids.push(JSON.parse(line).id);
  for (const line of readFileSync(errors, 'utf8').split('\n').filter(Boolean)) {
    const e = JSON.parse(line);
    ids.push(e.record === null ? 'broken' : e.record.id);
  }
  const expected = [...Array.from({ length: RECORDS }, (_, i) => `r${i}`), 'broken'];
  expect(ids.length).toBe(expected.length);
  expect(new Set(ids).size).toBe(expected.length);
  expect([...ids].sort()).toEqual(expected.sort());
}

it.each([
  ['by count, ordered', [] as string[]],
  ['by key, unordered', ['--unordered', '--key', 'id']],
])('a SIGKILLed run leaves no file under the output name, and --resume (%s) ends with every record once', async (name, extra) => {
  const out = join(dir, `out-${name.replace(/\W/g, '')}.jsonl`);
  const errors = join(dir, `errors-${name.replace(/\W/g, '')}.jsonl`);
  const partial = partialPathOf(out);
  const args = ['enrich', 'picky', '--in', input, '--out', out, '--errors', errors, '--field', 'text', '--endpoint-url', emulator.url, '-c', '4', '--no-progress'];
  const resumeArgs = extra.includes('--key') ? extra : [];
  await killMidway([...args, ...extra.filter((a) => !resumeArgs.includes(a) || a === '--unordered')], partial, RECORDS / 2);

  expect(existsSync(out)).toBe(false);
  const before = lineCount(partial);
  expect(before).toBeGreaterThanOrEqual(RECORDS / 2);
  expect(before).toBeLessThan(RECORDS);

  const resumed = await runCliProcess([...args, '--resume', '--allow-failures', ...extra], { timeoutMs: 60_000 });
  expect(resumed.stderr).toMatch(/already done \(resumed\)/);
  expect(resumed.code).toBe(0);
  expect(existsSync(partial)).toBe(false);
  expectEachOnce(out, errors);
}, 90_000);
