/**
 * `sagemaker-rx enrich` as a real process against an emulator on port 0: lossless records, safe
 * outputs, fail fast, CSV quoting. (Interruption and --resume: cli-enrich-resume.test.ts.)
 */
import { spawn } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/index';
import { bin, childEnv, runCliProcess } from './cli-process';
import { TRICKY_LINES } from './node-enrich-records.test';

let emulator: Emulator;
let url: string;
let dir: string;

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`node scripts/build.mjs\` (npm test does) before the CLI tests`);
  emulator = await startEmulator({
    endpoints: {
      echo: { model: 'echo' },
      reviews: { model: 'sentiment', faults: { latencyMs: 2, jitterMs: 10 } },
    },
  });
  url = emulator.url;
  dir = mkdtempSync(join(tmpdir(), 'sagemaker-rx-enrich-'));
});
afterAll(async () => {
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => emulator.reset());

const cli = (args: string[], options: Parameters<typeof runCliProcess>[1] = {}) => runCliProcess([...args, '--no-progress'], options);

/** The input lines plus a BOM on line 1 and extra tricky records (duplicate ids are fine: ids are only for matching). */
const INPUT = TRICKY_LINES.map((l, i) => (i === 0 ? `\ufeff${l}` : l));

describe('enrich keeps every record byte for byte', () => {
  it.each([
    ['single, ordered', []],
    ['single, unordered', ['--unordered', '-c', '4']],
    ['batched, ordered', ['--batch-size', '2', '--codec', 'jsonl']],
    ['batched, unordered', ['--batch-size', '3', '--unordered']],
  ])('%s', async (_name, extra) => {
    const input = join(dir, 'tricky.jsonl');
    const out = join(dir, `out-${_name.replace(/\W/g, '')}.jsonl`);
    writeFileSync(input, `${INPUT.join('\n')}\n`);
    const run = await cli(['enrich', 'reviews', '--in', input, '--out', out, '--field', 'text', '--as', 'sentiment', '--endpoint-url', url, ...extra]);
    expect(run.stderr).toMatch(/5 records in · 5 enriched · 0 failed/);
    expect(run.code).toBe(0);
    const lines = readFileSync(out, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(TRICKY_LINES.length);
    const byInput = new Map(TRICKY_LINES.map((l) => [l, 0]));
    for (const line of lines) {
      // Cut the one added member out: what is left must be an input line, byte for byte.
      const match = /,"sentiment":\{"label":"[A-Z]+","score":[0-9.]+\}(?=\}$| \}$)/.exec(line);
      expect(match).not.toBeNull();
      const original = line.slice(0, match!.index) + line.slice(match!.index + match![0].length);
      expect(byInput.has(original)).toBe(true);
      byInput.set(original, byInput.get(original)! + 1);
    }
    expect([...byInput.values()]).toEqual([1, 1, 1, 1, 1]);
    if (!extra.includes('--unordered')) expect(lines.map((l) => l.slice(0, 12))).toEqual(TRICKY_LINES.map((l) => l.slice(0, 12)));
  });

  it('adds the answer under a nested --as and reads a nested --field', async () => {
    const run = await cli(['enrich', 'reviews', '--field', 'r.body', '--as', 'ml.sentiment', '--endpoint-url', url], {
      input: '{"r":{"body":"great"},"ml":{"v":1.0}}\n',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\{"r":\{"body":"great"\},"ml":\{"v":1\.0,"sentiment":\{"label":"POSITIVE","score":[0-9.]+\}\}\}\n$/);
  });
});

describe('enrich refuses unsafe outputs with exit 2, touching nothing', () => {
  const setup = () => {
    const input = join(dir, 'input.jsonl');
    const content = '{"text":"great"}\n{"text":"awful"}\n';
    writeFileSync(input, content);
    return { input, content };
  };

  it.each([
    ['--out names the input', (i: string) => ['--in', i, '--out', i]],
    ['--errors names the input', (i: string) => ['--in', i, '--errors', i]],
    ['--out and --errors are one file', (_: string) => ['--in', join(dir, 'input.jsonl'), '--out', join(dir, 'same.jsonl'), '--errors', join(dir, 'same.jsonl')]],
    ['--out is a symlink to the input', (i: string) => {
      const link = join(dir, `link-${Date.now()}.jsonl`);
      symlinkSync(i, link);
      return ['--in', i, '--out', link];
    }],
    ['--out is a hard link to the input', (i: string) => {
      const link = join(dir, `hard-${Date.now()}.jsonl`);
      linkSync(i, link);
      return ['--in', i, '--out', link];
    }],
    ['--out is the input through a relative path', (i: string) => ['--in', i, '--out', join(dir, '.', 'sub', '..', 'input.jsonl')]],
  ])('%s', async (_name, args) => {
    mkdirSync(join(dir, 'sub'), { recursive: true });
    const { input, content } = setup();
    const run = await cli(['enrich', 'reviews', ...args(input), '--field', 'text', '--endpoint-url', url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is the same file as/);
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(readFileSync(input, 'utf8')).toBe(content);
    expect(emulator.stats.total).toBe(0);
  });

  it('exits 2 for --in naming a directory', async () => {
    const run = await cli(['enrich', 'reviews', '--in', dir, '--endpoint-url', url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is a directory');
    expect(run.stderr).not.toContain('EISDIR');
  });
});

describe('enrich stops a job that cannot succeed', () => {
  let big: string;
  beforeAll(() => {
    big = join(dir, 'fifty-thousand.jsonl');
    writeFileSync(big, Array.from({ length: 50_000 }, (_, i) => `{"id":${i},"text":"fine ${i}"}\n`).join(''));
  });

  /** Runs over 50,000 records; returns the run and how many requests reached the emulator. */
  async function stopsEarly(args: string[], env: NodeJS.ProcessEnv): Promise<{ stderr: string; requests: number }> {
    const out = join(dir, 'never.jsonl');
    const run = await cli(['enrich', ...args, '--in', big, '--out', out, '--field', 'text', '--endpoint-url', url], { env, timeoutMs: 60_000 });
    expect(run.code).toBe(1);
    expect(run.stderr.match(/stopped after \d+ consecutive failures/g)).toHaveLength(1);
    expect(run.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(4);
    expect(existsSync(out)).toBe(false);
    return { stderr: run.stderr, requests: emulator.stats.total };
  }

  it('an unknown endpoint: a few dozen requests, one message naming the endpoint and region', async () => {
    const { stderr, requests } = await stopsEarly(['nowhere'], childEnv());
    expect(requests).toBeGreaterThanOrEqual(20);
    expect(requests).toBeLessThanOrEqual(60);
    expect(stderr).toContain("endpoint 'nowhere' not found in us-east-1 — check --region / --endpoint-url");
  });

  it('a wrong secret key: a few dozen requests, one message about the signature', async () => {
    const { stderr, requests } = await stopsEarly(['reviews'], childEnv({ AWS_SECRET_ACCESS_KEY: 'not-the-secret' }));
    expect(requests).toBeLessThanOrEqual(60);
    expect(stderr).toMatch(/InvalidSignatureException|SignatureDoesNotMatch/);
    expect(stderr).toContain('signature refused — check the secret access key');
  });

  it('missing credentials: nothing sent, one message about credentials', async () => {
    const env = childEnv();
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    const { stderr, requests } = await stopsEarly(['reviews'], env);
    expect(requests).toBe(0);
    expect(stderr).toContain('credentials refused or missing');
  });

  it('does not stop for per-record failures when the breaker is off', async () => {
    const run = await cli(['enrich', 'nowhere', '--max-consecutive-failures', '0', '--retries', '0', '--endpoint-url', url], {
      input: Array.from({ length: 30 }, (_, i) => `{"id":${i}}\n`).join(''),
    });
    expect(run.code).toBe(1);
    expect(emulator.stats.total).toBe(30);
    expect(run.stderr).toContain('(29 more like it)');
  });
});

describe('enrich --codec csv', () => {
  it('quotes free text per RFC 4180 so each record stays one field', async () => {
    const texts = ['plain', 'a, with comma', 'say "hi"', 'two\nlines'];
    const run = await cli(['enrich', 'echo', '--field', 'text', '--batch-size', '4', '--codec', 'csv', '--batch-wait-ms', '1000', '--endpoint-url', url], {
      input: texts.map((text) => JSON.stringify({ text })).join('\n'),
    });
    expect(run.stderr).toMatch(/4 enriched/);
    expect(emulator.requests[0]!.body.toString()).toBe('plain\n"a, with comma"\n"say ""hi"""\n"two\nlines"\n');
    expect(run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l).prediction)).toEqual(['plain', '"a, with comma"', '"say ""hi"""', '"two\nlines"']);
  });
});

describe('invoke', () => {
  it('sends --prefix-aware-id as its header (the option comes from the model)', async () => {
    const run = await runCliProcess(['invoke', 'echo', '--body', 'hi', '--prefix-aware-id', 'conversation-7', '--endpoint-url', url]);
    expect(run.code).toBe(0);
    expect(emulator.requests[0]!.headers['x-amzn-sagemaker-prefix-aware-id']).toBe('conversation-7');
  });
});

describe('demo', () => {
  it('says "stopped" with the counts when interrupted, not "lost"', async () => {
    const child = spawn(process.execPath, [bin, 'demo', '--no-progress'], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    while (!stdout.includes('pipeline:')) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    expect(await closed).toBe(130);
    expect(stdout).toMatch(/stopped by SIGINT: [\d,]+ in, [\d,]+ out, [\d,]+ in flight not finished/);
    expect(stdout).not.toContain('LOST');
  });
});

describe('enrich progress when stderr is not a terminal', () => {
  it('prints plain periodic lines with done / total, percentage and ETA', async () => {
    const input = join(dir, 'progress.jsonl');
    writeFileSync(input, Array.from({ length: 400 }, (_, i) => `{"text":"great ${i}"}\n`).join(''));
    // -c 1 against 2–12 ms of latency: a few seconds, so at least one periodic line is printed.
    const run = await runCliProcess(['enrich', 'reviews', '--in', input, '--out', join(dir, 'progress-out.jsonl'), '--field', 'text', '-c', '1', '--endpoint-url', url]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^enrich: [\d,]+ \/ 400 done \(\d+\.\d %\) · [\d,.]+\/s · ETA \d+[sm]/m);
    expect(run.stderr).not.toContain('\x1b[');
  });
});
