/**
 * Every example runs as a real process (`node tsx/cli <file>` from the repository root, as the
 * README says to run it), exits 0 on its own, writes nothing to stderr, and prints the lines that
 * show it did what it says. They run in parallel, each against its own embedded emulator on port 0.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const TSX_CLI = require.resolve('tsx/cli');
const EXAMPLE_TIMEOUT_MS = 60_000;

interface ExampleRun {
  file: string;
  /** The exit code; null when the process was killed. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs one example to its end (or kills it after `timeoutMs`). */
function runExample(file: string, timeoutMs = EXAMPLE_TIMEOUT_MS): Promise<ExampleRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, file], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ file, code, signal, stdout, stderr, timedOut });
    });
  });
}

/** Each example and the lines its output must contain (one regular expression per line). */
const EXPECTED: Record<string, RegExp[]> = {
  'examples/quickstart.ts': [
    /^sent attempt 1$/m,
    /^response attempt 1$/m,
    /^\{"label":"POSITIVE","score":[\d.]+\} \{$/m, // the Observable's output, then its $metadata
    /httpStatusCode: 200/,
    /^\{"label":"NEGATIVE","score":[\d.]+\}$/m, // the Promise twin
  ],
  'examples/enrich-stream.ts': [
    /^\{"id":"r-00001",.*"sentiment":\{"label":"(POSITIVE|NEGATIVE|NEUTRAL)","score":[\d.]+\}\}$/m,
    /^200 reviews enriched, \d+ requests \(retries included\): \{ POSITIVE: \d+, NEGATIVE: \d+, NEUTRAL: \d+/m,
  ],
  'examples/batch-enrich.ts': [
    /^first result: \{"id":"r-00001","batch":\{"id":1,"size":16\},"output":\{"label":"POSITIVE"/m,
    /^2400 of 2400 reviews answered in [\d.]+ s, \d+ failed; 150 batches, \d+ requests, \d+ throttled;/m,
  ],
  'examples/stream-tokens.ts': [
    /^\[llm\] text\/event-stream from variant AllTraffic$/m,
    /^\[llm\] done: \d+ tokens in \d+ PayloadParts \(\d+ bytes\), first token after \d+ ms/m,
    /^\[llm-flaky\] failed after \d+ tokens: ModelStreamError \(ModelInvocationTimeExceeded\)/m,
  ],
};

const runs = new Map<string, ExampleRun>();

beforeAll(async () => {
  // All at once: each waits mostly on its emulator's latencies, so they overlap well on 2 cores.
  const results = await Promise.all(Object.keys(EXPECTED).map((file) => runExample(file)));
  for (const run of results) runs.set(run.file, run);
}, EXAMPLE_TIMEOUT_MS + 10_000);

describe.each(Object.entries(EXPECTED))('%s', (file, lines) => {
  it('exits 0 on its own, within the time limit, with nothing on stderr', () => {
    const run = runs.get(file);
    expect(run).toBeDefined();
    expect({ timedOut: run!.timedOut, code: run!.code, signal: run!.signal, stderr: run!.stderr }).toEqual({
      timedOut: false,
      code: 0,
      signal: null,
      stderr: '',
    });
  });

  it.each(lines.map((line) => [line]))('prints a line matching %s', (line) => {
    expect(runs.get(file)?.stdout).toMatch(line);
  });
});
