/**
 * `enrich` over a large file, batched, against the emulator — the engine as users run it:
 * records/s, the CLI process's peak RSS, and what lossless records cost next to the
 * JSON.parse/JSON.stringify round trip they replaced (measured on the same records, same process).
 *
 *   npx tsx bench/enrich.ts [--records 1000000] [--batch-size 64] [--concurrency 8]
 *
 * Needs the build (`npm run build`). Not a test: it asserts nothing, it prints figures.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, EMULATOR_CREDENTIALS, EMULATOR_REGION } from '../src/emulator/index.js';
import { spliceAnswer } from '../src/node/splice-answer.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RECORDS = arg('records', 1_000_000);
const BATCH = arg('batch-size', 64);
const CONCURRENCY = arg('concurrency', 8);
const root = join(__dirname, '..');
const bin = join(root, 'dist', 'cjs', 'cli', 'bin.js');

const WORDS = ['great', 'awful', 'fine', 'love', 'broke', 'excellent', 'terrible', 'ok'];
/** One record with the spellings a lossless engine must keep. */
function record(i: number): string {
  const id = (12345678901234567000n + BigInt(i)).toString();
  return `{"id":${id},"price":1.10,"big":1e400,"text":"${WORDS[i % 8]} product number ${i}","nested":{"x":-0,"u":"caf\\u00e9"}}`;
}

async function writeInput(path: string): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < RECORDS; i++) if (!out.write(`${record(i)}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** Peak RSS of a running process, from /proc (VmHWM is the high-water mark so far). */
function peakRssKiB(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time of adding an answer to each line: the lossless splice vs parse → assign → stringify. */
function costRatio(lines: string[]): { spliceNs: number; roundTripNs: number } {
  const answer = { label: 'POSITIVE', score: 0.97 };
  const answerText = JSON.stringify(answer);
  const time = (fn: (line: string) => string): number => {
    let sink = 0;
    const start = process.hrtime.bigint();
    for (const line of lines) sink += fn(line).length;
    const ns = Number(process.hrtime.bigint() - start);
    if (sink === 0) throw new Error('unreachable');
    return ns / lines.length;
  };
  // Both paths parse the line (the engine needs the field); they differ in how the record is written.
  const splice = (line: string) => spliceAnswer(line, JSON.parse(line), ['prediction'], answerText);
  const roundTrip = (line: string) => JSON.stringify({ ...(JSON.parse(line) as object), prediction: answer });
  time(splice);
  time(roundTrip); // warm-up
  return { spliceNs: time(splice), roundTripNs: time(roundTrip) };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sagemaker-rx-bench-enrich-'));
  const emulator = await startEmulator({ port: 0, recordRequests: 0, endpoints: { reviews: { model: 'sentiment' } } });
  try {
    const input = join(dir, 'records.jsonl');
    const output = join(dir, 'enriched.jsonl');
    await writeInput(input);
    const bytes = statSync(input).size;
    const args = [bin, 'enrich', 'reviews', '--in', input, '--out', output, '--field', 'text', '--as', 'sentiment',
      '--batch-size', String(BATCH), '--codec', 'jsonl', '--concurrency', String(CONCURRENCY), '--endpoint-url', emulator.url, '--no-progress'];
    const env = { ...process.env, AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey, AWS_REGION: EMULATOR_REGION };
    const started = Date.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let peak = 0;
    const poll = setInterval(() => (peak = Math.max(peak, peakRssKiB(child.pid!) ?? 0)), 50);
    const [code] = (await once(child, 'close')) as [number];
    clearInterval(poll);
    const seconds = (Date.now() - started) / 1000;
    const outLines = readFileSync(output, 'utf8').split('\n').length - 1;

    const sample = Array.from({ length: Math.min(RECORDS, 200_000) }, (_, i) => record(i));
    const { spliceNs, roundTripNs } = costRatio(sample);

    console.log(`enrich: ${RECORDS.toLocaleString('en-US')} records (${(bytes / 2 ** 20).toFixed(1)} MiB), batches of ${BATCH} (jsonl), concurrency ${CONCURRENCY}, exit ${code}`);
    console.log(`  ${stderr.trim()}`);
    console.log(`  wall ${seconds.toFixed(1)} s · ${Math.round(RECORDS / seconds).toLocaleString('en-US')} records/s (process start and file included) · ${emulator.stats.total.toLocaleString('en-US')} requests`);
    console.log(`  output lines ${outLines.toLocaleString('en-US')} · peak RSS of the enrich process ${(peak / 1024).toFixed(1)} MiB`);
    console.log(`  adding the answer, per record: lossless splice ${(spliceNs / 1000).toFixed(2)} µs vs parse/stringify ${(roundTripNs / 1000).toFixed(2)} µs → ratio ${(spliceNs / roundTripNs).toFixed(2)}`);
  } finally {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
