/**
 * The benchmark harness starts, measures one short configuration and prints its table:
 * `bench/run.ts --smoke` runs as a real process (server process + one client worker process).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

interface RunOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runBench(args: readonly string[]): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(ROOT, 'bench', 'run.ts'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The cells of the Markdown table rows whose client column is `label`. */
function rowsFor(markdown: string, label: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) => line.slice(1, -1).split('|').map((cell) => cell.trim()))
    .filter((cells) => cells[1] === label);
}

describe('bench/run.ts --smoke', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('starts the server process, measures one client configuration, prints and writes a table, and exits 0', async () => {
    const out = join(outDir, 'smoke.md');
    const { code, stdout, stderr } = await runBench(['--smoke', '--out', out]);

    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(stderr).toMatch(/bench server http:\/\/127\.0\.0\.1:\d+ \(pid \d+\)/);
    expect(stdout).toContain('mode**: `smoke`');

    const rows = rowsFor(stdout, 'undici + signer');
    expect(rows).toHaveLength(1);
    const [concurrency, , requestsPerSecond, p50, p99, cpu, rss, , , , errors] = rows[0]!;
    expect(concurrency).toBe('4');
    expect(Number(requestsPerSecond!.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(Number(p50)).toBeGreaterThan(0);
    expect(Number(p99)).toBeGreaterThanOrEqual(Number(p50));
    expect(Number(cpu)).toBeGreaterThan(0);
    expect(Number(rss)).toBeGreaterThan(0);
    expect(errors).toBe('0');

    expect(readFileSync(out, 'utf8')).toBe(stdout);
  }, 60_000);

  it('measures a section (CLI start) in the same run and lists its goals, as ratios, in the targets table', async () => {
    const { code, stdout, stderr } = await runBench(['--smoke', '--sections-only', '--sections', 'cli-start', '--out', '-']);

    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('### CLI start');
    const cells = (line: string): string[] => line.slice(1, -1).split('|').map((cell) => cell.trim());
    const rows = stdout.split('\n').filter((line) => line.startsWith('|')).map(cells);
    // The section's own table: node -e 0 is the unit of every ratio.
    const base = rows.find((r) => r[0] === '`node -e 0`');
    expect(base).toBeDefined();
    expect(Number(base![1])).toBeGreaterThan(0);
    expect(base![2]).toBe('1.00×');
    // Its goals in the targets table: measured, with a verdict.
    const goals = rows.filter((r) => r[0]!.includes('`sagemaker-rx --help`') && r[3] === '≤ 2×');
    expect(goals).toHaveLength(1);
    expect(goals[0]![2]).toMatch(/^\d+\.\d\d×$/);
    expect(goals[0]![4]).toMatch(/^(met|\*\*missed\*\* by \d+\.\d %)$/);
  }, 120_000);

  it('names an unknown section with exit code 2, measuring nothing', async () => {
    const { code, stdout, stderr } = await runBench(['--smoke', '--sections', 'no-such-section', '--out', '-']);

    expect(code).toBe(2);
    expect(stderr).toContain('unknown section "no-such-section": one of cli-start, emulator-load, streaming');
    expect(stdout).toBe('');
  }, 30_000);

  it('rejects an unknown client with exit code 2 and names the known ones, measuring nothing', async () => {
    const { code, stdout, stderr } = await runBench(['--smoke', '--clients', 'no-such-client', '--out', '-']);

    expect(code).toBe(2);
    expect(stderr).toContain('unknown client "no-such-client"');
    expect(stderr).toContain('undici-signed');
    expect(stdout).toBe('');
  }, 30_000);
});
