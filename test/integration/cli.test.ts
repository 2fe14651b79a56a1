/**
 * The CLI as a real process: `node dist/cjs/cli/bin.js …` (built by `npm test`, or
 * `node scripts/build.mjs`) against an emulator started here on port 0.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/index';
import { bin, childEnv, root, runCliProcess } from './cli-process';

/** Runs the CLI to completion; `input` is written to its stdin; `env` is added to the child environment. */
const cli = (args: string[], options: { input?: string; env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}) =>
  runCliProcess(args, { ...options, env: childEnv(options.env) });

const jsonLines = (text: string): any[] =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));

let emulator: Emulator;
let url: string;
let dir: string;

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`node scripts/build.mjs\` (npm test does) before the CLI tests`);
  emulator = await startEmulator({
    endpoints: {
      echo: { model: 'echo' },
      reviews: { model: 'sentiment' },
      // A model error for any request whose body holds the poison word, whether alone or in a batch.
      picky: { model: 'sentiment', faults: { failWhen: (req) => (req.body.includes('POISON') ? 'modelError' : undefined) } },
    },
  });
  url = emulator.url;
  dir = mkdtempSync(join(tmpdir(), 'sagemaker-rx-cli-'));
});

afterAll(async () => {
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => emulator.reset());

describe('help, version and usage errors', () => {
  it('prints the program help with every command and exits 0', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['invoke', 'enrich', 'emulator', 'demo', 'help']) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it.each([
    ['invoke', ['--body', '--content-type', '--accept', '--custom-attributes', '--target-model', '--target-variant', '--target-container-hostname', '--inference-id', '--enable-explanations', '--inference-component-name', '--session-id', '--out', '--region', '--profile', '--endpoint-url']],
    ['enrich', ['--in', '--out', '--errors', '--field', '--as', '--unordered', '--concurrency', '--batch-size', '--batch-wait-ms', '--codec', '--rate', '--adaptive', '--retries', '--timeout-ms', '--allow-failures', '--endpoint-url']],
    ['emulator', ['--port', '--host', '--config', '--cors', '--record-requests']],
    ['demo', ['--records', '--data', '--no-faults']],
  ])('prints the help of %s with its options and exits 0', async (command, options) => {
    const run = await cli([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`usage: sagemaker-rx ${command}`);
    for (const option of options) expect(run.stdout).toContain(option);
    expect(run.stderr).toBe('');
  });

  it('prints the version from package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const run = await cli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(version);
  });

  it('exits 2 with a message and the usage for an unknown command', async () => {
    const run = await cli(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'frobnicate'");
    expect(run.stderr).toContain('usage: sagemaker-rx <command>');
    expect(run.stdout).toBe('');
  });

  it('exits 2 naming an unknown option, a bad value and a missing argument', async () => {
    const unknown = await cli(['enrich', 'reviews', '--colour', 'red']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--colour'");
    expect(unknown.stderr).not.toContain('To specify a positional');
    expect(unknown.stderr).toContain('usage: sagemaker-rx enrich');

    const bad = await cli(['enrich', 'reviews', '--concurrency', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--concurrency must be an integer >= 1, got 'many'");

    const missing = await cli(['invoke', '--body', 'x']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing <endpoint>');
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('invoke', () => {
  it('writes the answer to stdout and the response metadata as JSON to stderr', async () => {
    const run = await cli(['invoke', 'echo', '--body', 'hello, endpoint', '--content-type', 'text/plain', '--custom-attributes', 'trace=1', '--endpoint-url', url]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('hello, endpoint');
    const metadata = JSON.parse(run.stderr);
    expect(metadata).toMatchObject({
      ContentType: 'text/plain',
      InvokedProductionVariant: 'AllTraffic',
      CustomAttributes: 'trace=1',
      $metadata: { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 },
    });
    expect(metadata.$metadata.requestId).toBe(emulator.requests[0]!.id);
    expect(emulator.requests).toHaveLength(1);
    expect(emulator.requests[0]!.headers['content-type']).toBe('text/plain');
    expect(emulator.requests[0]!.headers['x-amzn-sagemaker-custom-attributes']).toBe('trace=1');
  });

  it('reads the body from @file, sends every member, writes the answer to --out and the metadata to stdout', async () => {
    const bodyFile = join(dir, 'request.json');
    const outFile = join(dir, 'answer.json');
    writeFileSync(bodyFile, JSON.stringify({ text: 'I love these headphones, excellent sound' }));
    const run = await cli([
      'invoke', 'reviews', '--body', `@${bodyFile}`, '--content-type', 'application/json', '--accept', 'application/json',
      '--target-variant', 'AllTraffic', '--inference-id', 'inf-1', '--session-id', 'NEW_SESSION', '--out', outFile, '--endpoint-url', url,
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(outFile, 'utf8'))).toMatchObject({ label: 'POSITIVE' });
    const metadata = JSON.parse(run.stdout);
    expect(metadata.ContentType).toMatch(/json/);
    expect(metadata.NewSessionId).toMatch(/; Expires=/);
    const headers = emulator.requests[0]!.headers;
    expect(headers).toMatchObject({
      accept: 'application/json',
      'x-amzn-sagemaker-target-variant': 'AllTraffic',
      'x-amzn-sagemaker-inference-id': 'inf-1',
      'x-amzn-sagemaker-session-id': 'NEW_SESSION',
    });
  });

  it('exits 1 with the service error name when the call fails', async () => {
    const run = await cli(['invoke', 'no-such-endpoint', '--body', 'x', '--endpoint-url', url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/ValidationError: Endpoint no-such-endpoint of account \d+ not found\. \(HTTP 400/);
    expect(run.stdout).toBe('');
  });

  it('exits 2 with the member and the rule for an invalid request, and sends nothing', async () => {
    const run = await cli(['invoke', 'bad_name', '--body', 'x', '--endpoint-url', url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('InvalidRequestError: EndpointName');
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('enrich', () => {
  const BROKEN_LINE = '{"id": "r-broken", "text": ';

  /** 20 reviews; two carry the poison word, one line is not JSON, one record lacks `text`; blank lines are skipped. */
  function writeInput(): { path: string; lines: string[] } {
    const lines: string[] = [];
    for (let i = 1; i <= 20; i++) {
      const text = i === 5 || i === 14 ? `POISON pill number ${i}` : i % 2 ? `Great product, I love it (${i})` : `Terrible, it broke (${i})`;
      lines.push(JSON.stringify({ id: `r-${i}`, rating: i % 2 ? 5 : 1, text }));
    }
    lines.splice(9, 0, BROKEN_LINE); // not JSON
    lines.splice(3, 0, JSON.stringify({ id: 'r-notext', rating: 3 })); // no `text`
    const path = join(dir, 'input.jsonl');
    writeFileSync(path, `${lines.join('\n')}\n\n`);
    return { path, lines };
  }

  it.each([
    ['one invocation per record', []],
    ['batches of 4 bisected on failure', ['--batch-size', '4', '--codec', 'jsonl', '--split-on-failure']],
  ])('puts every input line in exactly one output, in input order (%s), and exits 1', async (_name, extra) => {
    const { path, lines } = writeInput();
    const out = join(dir, 'out.jsonl');
    const errs = join(dir, 'errors.jsonl');
    const run = await cli(['enrich', 'picky', '--in', path, '--out', out, '--errors', errs, '--field', 'text', '--as', 'sentiment', '--endpoint-url', url, ...extra]);
    expect(run.code).toBe(1);

    const enriched = jsonLines(readFileSync(out, 'utf8'));
    const failed = jsonLines(readFileSync(errs, 'utf8'));
    expect(enriched.length + failed.length).toBe(lines.length);

    // Every id once, across both outputs.
    const inputIds = lines.map((l) => {
      try {
        return JSON.parse(l).id as string;
      } catch {
        return 'r-broken';
      }
    });
    const outputIds = [...enriched.map((r) => r.id), ...failed.map((f) => (f.record === null ? 'r-broken' : f.record.id))];
    expect([...outputIds].sort()).toEqual([...inputIds].sort());

    // Output in input order, each with its answer.
    const expectedOk = inputIds.filter((id) => !['r-5', 'r-14', 'r-broken', 'r-notext'].includes(id));
    expect(enriched.map((r) => r.id)).toEqual(expectedOk);
    for (const r of enriched) expect(r.sentiment.label).toBe(r.rating === 5 ? 'POSITIVE' : 'NEGATIVE');

    // The failures, with their 1-based line numbers and typed errors.
    const lineOf = (id: string) => inputIds.indexOf(id) + 1;
    const byId = new Map(failed.map((f) => [f.record === null ? 'r-broken' : f.record.id, f]));
    expect(byId.get('r-5')).toMatchObject({ line: lineOf('r-5'), error: { name: 'ModelError', retryable: false, $metadata: { httpStatusCode: 424 } } });
    expect(byId.get('r-14')).toMatchObject({ line: lineOf('r-14'), error: { name: 'ModelError' } });
    expect(byId.get('r-broken')).toMatchObject({ line: lineOf('r-broken'), record: null, raw: BROKEN_LINE, error: { name: 'SyntaxError', retryable: false } });
    expect(byId.get('r-notext')).toMatchObject({ line: lineOf('r-notext'), error: { name: 'InvalidRequestError', member: 'field' } });
    const numeric = (a: number, b: number) => a - b;
    expect(failed.map((f) => f.line).sort(numeric)).toEqual(['r-5', 'r-14', 'r-broken', 'r-notext'].map(lineOf).sort(numeric));

    expect(run.stderr).not.toContain('line '); // with --errors, failures go there only
    expect(run.stderr).toMatch(/enrich: 22 records in · 18 enriched · 4 failed \(1 malformed\)/);
    expect(run.stdout).toBe('');
  });

  it('exits 0 with --allow-failures, reading stdin and writing stdout', async () => {
    const { lines } = writeInput();
    const run = await cli(['enrich', 'picky', '--field', 'text', '--allow-failures', '--unordered', '--concurrency', '3', '--endpoint-url', url], {
      input: lines.join('\n'),
    });
    expect(run.code).toBe(0);
    const enriched = jsonLines(run.stdout);
    expect(enriched).toHaveLength(18);
    expect(new Set(enriched.map((r) => r.id)).size).toBe(18);
    for (const r of enriched) expect(r.prediction).toHaveProperty('label');
    // Without --errors each failure is reported on stderr with its line number.
    const lineOf = (id: string) => lines.findIndex((l) => l.includes(`"${id}"`)) + 1;
    // The two identical ModelErrors: the first with its line, the other counted.
    expect(run.stderr).toMatch(new RegExp(`line (${lineOf('r-5')}|${lineOf('r-14')}): ModelError: `));
    expect(run.stderr).toContain('  (1 more like it)');
    expect(run.stderr).toContain(`line ${lineOf('r-notext')}: InvalidRequestError: field: the record has no field "text"`);
    expect(run.stderr).toContain(`line ${lineOf('r-broken')}: malformed record, skipped (not JSON: `);
  });

  it('sends the whole record when no --field is given and exits 0 when nothing failed', async () => {
    const input = [{ id: 'a', text: 'excellent and great' }, { id: 'b', text: 'awful, terrible' }].map((r) => JSON.stringify(r)).join('\n');
    const run = await cli(['enrich', 'reviews', '--endpoint-url', url], { input });
    expect(run.code).toBe(0);
    const enriched = jsonLines(run.stdout);
    expect(enriched.map((r) => [r.id, r.prediction.label])).toEqual([
      ['a', 'POSITIVE'],
      ['b', 'NEGATIVE'],
    ]);
    expect(JSON.parse(emulator.requests[0]!.body.toString())).toEqual({ id: 'a', text: 'excellent and great' });
    expect(emulator.requests[0]!.headers['content-type']).toBe('application/json');
  });
});

describe('demo', () => {
  it('enriches 300 reviews through the faulty embedded endpoint and loses nothing', async () => {
    const run = await cli(['demo', '--records', '300'], { timeoutMs: 45_000 });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('nothing lost: 300 in, 300 out');
    expect(run.stdout).toMatch(/records: +300 in, 300 out \(300 enriched, 0 failed\)/);
    expect(run.stdout).toMatch(/labels: +.*POSITIVE/);
  }, 60_000);
});

describe('emulator', () => {
  it('prints its URL, serves requests, and stops cleanly on SIGTERM, counting every request past a small --record-requests', async () => {
    const child = spawn(process.execPath, [bin, 'emulator', '--port', '0', '--record-requests', '1', '--cors'], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    const firstLine = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL line within 10 s: ${stdout}`)), 10_000);
      child.stdout.on('data', (d: string) => {
        stdout += d;
        if (stdout.includes('\n')) {
          clearTimeout(timer);
          resolve(stdout.split('\n')[0]!);
        }
      });
    });
    const match = /^sagemaker-rx emulator listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(firstLine);
    expect(match).not.toBeNull();
    expect(Number(match![2])).toBeGreaterThan(0);

    for (const body of ['ping', 'pong', 'pang']) {
      const answered = await cli(['invoke', 'echo', '--body', body, '--endpoint-url', match![1]!]);
      expect(answered.code).toBe(0);
      expect(answered.stdout).toBe(body);
    }
    // --cors: a browser's preflight is answered (and not counted as a request served).
    const preflight = await fetch(`${match![1]!}/endpoints/echo/invocations`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:4200', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,x-amz-date' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:4200');
    expect(stdout).toContain('cors:              on');

    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    child.kill('SIGTERM');
    const { code, signal } = await exit;
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(stdout).toContain('sagemaker-rx emulator stopped (SIGTERM, 3 requests served)');
  });

  it('lists each endpoint of a --config with its kind in the banner', async () => {
    const config = join(dir, 'kinds-config.json');
    writeFileSync(
      config,
      JSON.stringify({
        endpoints: {
          ab: { variants: { blue: { model: 'echo', weight: 3 }, green: { model: 'sentiment' } } },
          ic: { inferenceComponents: { 'ic-a': { model: 'text-generator' } } },
          mme: { model: 'echo', targetModels: ['a.tar.gz', 'b.tar.gz'] },
        },
      }),
    );
    const child = spawn(process.execPath, [bin, 'emulator', '--port', '0', '--config', config], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within 10 s: ${stdout}`)), 10_000);
      child.stdout.on('data', (d: string) => {
        stdout += d;
        if (stdout.includes('Press Ctrl-C')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const exit = new Promise((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    await exit;
    expect(stdout).toContain('endpoints:         ab (variants: blue=echo, green=sentiment), ic (components: ic-a=text-generator), mme (echo, models: a.tar.gz, b.tar.gz)');
  });

  it('exits 2 naming the key of an invalid --config', async () => {
    const config = join(dir, 'bad-config.json');
    writeFileSync(config, JSON.stringify({ endpoints: { reviews: { model: 'sentiment', faults: { throttleRate: 2 } } } }));
    const run = await cli(['emulator', '--config', config]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('endpoints.reviews.faults.throttleRate');
  });

  it('exits 2 naming the option for an invalid --host', async () => {
    const run = await cli(['emulator', '--host', '']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/host/);
  });
});
