/**
 * Soak: `sagemaker-rx enrich` over a large file as a real process — killed with SIGKILL midway,
 * resumed, and checked: every record exactly once across the output and the errors file, each
 * enriched line its input byte for byte plus the answer, and the process's RSS bounded.
 * `SOAK_ENRICH_RECORDS` sets the size (200,000 by default).
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startEmulator, type Emulator } from '../../src/emulator/index';
import { partialPathOf } from '../../src/node/atomic-output';
import { bin, childEnv, root } from '../integration/cli-process';

const RECORDS = Number(process.env.SOAK_ENRICH_RECORDS ?? 200_000);
let emulator: Emulator;
let dir: string;

const record = (i: number) =>
  `{"id":${12345678901234567000n + BigInt(i)},"price":1.10,"big":1e400,"text":"${i % 41 === 3 ? 'POISON' : 'great'} ${i}","n":{"x":-0}}`;

beforeAll(async () => {
  emulator = await startEmulator({
    recordRequests: 0,
    endpoints: { picky: { model: 'sentiment', faults: { failWhen: (req) => (req.body.includes('POISON') ? 'modelError' : undefined) } } },
  });
  dir = mkdtempSync(join(tmpdir(), 'sagemaker-rx-soak-enrich-'));
});
afterAll(async () => {
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI; SIGKILLs it once `killAt()` says so; resolves with its exit code and peak RSS (KiB). */
function run(args: string[], killAt?: () => boolean): Promise<{ code: number | null; peakKiB: number }> {
  const child = spawn(process.execPath, [bin, ...args], { env: childEnv(), cwd: root, stdio: 'ignore' });
  let peakKiB = 0;
  const poll = setInterval(() => {
    try {
      peakKiB = Math.max(peakKiB, Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0));
    } catch {
      /* exited */
    }
    if (killAt?.()) child.kill('SIGKILL');
  }, 100);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code, peakKiB });
    }),
  );
}

it(`enriches ${RECORDS.toLocaleString('en-US')} records through a SIGKILL and --resume: each exactly once, lossless, RSS bounded`, async () => {
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, Array.from({ length: RECORDS }, (_, i) => `${record(i)}\n`).join(''));
  const out = join(dir, 'out.jsonl');
  const errors = join(dir, 'errors.jsonl');
  const args = ['enrich', 'picky', '--in', input, '--out', out, '--errors', errors, '--field', 'text', '--batch-size', '32', '--codec', 'jsonl',
    '--split-on-failure', '--endpoint-url', emulator.url, '--no-progress', '--allow-failures'];
  const partial = partialPathOf(out);
  const first = await run(args, () => existsSync(partial) && statSync(partial).size > RECORDS * 60);
  expect(first.code).toBeNull(); // killed
  expect(existsSync(out)).toBe(false);
  const second = await run([...args, '--resume']);
  expect(second.code).toBe(0);

  const seen = new Set<string>();
  let lines = 0;
  for await (const line of createInterface({ input: createReadStream(out) })) {
    const id = /^\{"id":(\d+)/.exec(line)![1]!;
    const i = Number(BigInt(id) - 12345678901234567000n);
    expect(line.startsWith(record(i).slice(0, -1))).toBe(true);
    seen.add(id);
    lines++;
  }
  for await (const line of createInterface({ input: createReadStream(errors) })) {
    seen.add(/"record":\{"id":(\d+)/.exec(line)![1]!);
    lines++;
  }
  expect(lines).toBe(RECORDS);
  expect(seen.size).toBe(RECORDS);
  console.log(`enrich soak: ${RECORDS} records, peak RSS ${(first.peakKiB / 1024).toFixed(0)} MiB (killed run), ${(second.peakKiB / 1024).toFixed(0)} MiB (resumed)`);
  expect(Math.max(first.peakKiB, second.peakKiB)).toBeLessThan(200 * 1024);
}, 600_000);
