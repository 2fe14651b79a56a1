/**
 * `enrich --adaptive` on an endpoint capped at 4 concurrent requests (the usual SageMaker limit:
 * a model server's workers), throttling above it: records/s and throttles for each mode, and for
 * a fixed `-c 4` that matches the cap.
 *
 *   npx tsx bench/enrich-adaptive.ts [--records 1000]
 *
 * Needs the build (`npm run build`). Prints figures; asserts nothing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, EMULATOR_CREDENTIALS, EMULATOR_REGION } from '../src/emulator/index.js';

const i = process.argv.indexOf('--records');
const RECORDS = i > 0 ? Number(process.argv[i + 1]) : 1_000;
const bin = join(__dirname, '..', 'dist', 'cjs', 'cli', 'bin.js');

const CASES: Array<[string, string[]]> = [
  ['-c 16, no limiter', ['-c', '16']],
  ['-c 16 --adaptive=rate (CUBIC)', ['-c', '16', '--adaptive=rate']],
  ['-c 16 --adaptive (=concurrency, AIMD)', ['-c', '16', '--adaptive']],
  ['-c 16 --adaptive=both', ['-c', '16', '--adaptive=both']],
  ['-c 4 (the cap, known in advance)', ['-c', '4']],
];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sagemaker-rx-bench-adaptive-'));
  const emulator = await startEmulator({
    port: 0,
    recordRequests: 0,
    endpoints: { capped: { model: 'sentiment', faults: { latencyMs: 25, maxConcurrency: 4, overConcurrencyAs: 'ThrottlingException' } } },
  });
  try {
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, Array.from({ length: RECORDS }, (_, k) => `{"id":${k},"text":"great ${k}"}\n`).join(''));
    const env = { ...process.env, AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey, AWS_REGION: EMULATOR_REGION };
    console.log(`enrich over ${RECORDS} records, endpoint capped at 4 concurrent requests (25 ms each), ThrottlingException above; --retries 8`);
    console.log('| run | records/s | failed | throttled requests | requests |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const [name, args] of CASES) {
      emulator.reset();
      const child = spawn(process.execPath, [bin, 'enrich', 'capped', '--in', input, '--out', join(dir, 'out.jsonl'), '--field', 'text', '--retries', '8',
        '--endpoint-url', emulator.url, '--no-progress', '--allow-failures', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      await once(child, 'close');
      const rate = /([\d,.]+) records\/s/.exec(stderr)?.[1] ?? '?';
      const failed = /([\d,]+) failed/.exec(stderr)?.[1] ?? '?';
      console.log(`| \`${name}\` | ${rate} | ${failed} | ${emulator.endpointStats('capped').throttled} | ${emulator.stats.total} |`);
    }
  } finally {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
