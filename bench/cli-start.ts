/**
 * CLI start as a ratio of `node -e 0` on the same machine in the same run: the built
 * `sagemaker-rx --help`, `invoke --help` and `--version` (argument parsing and the modules they
 * load, no request), and a whole `sagemaker-rx invoke <endpoint> --body '{}'` process, start to
 * exit, against an emulator running in a process of its own (signed with the emulator's key
 * pair, as the CLI tests do). Each round runs every command once, in an order that rotates from
 * round to round; figures are medians of wall time, and of the CPU time the child reported
 * (user + system, read through a one-line preload), which a busy machine disturbs less.
 *
 * With `--baseline DIR` (a CommonJS build of older sources, e.g. what `npm run bench -- --baseline
 * REF` compiles) its bin is measured in the same rounds and the report adds after ÷ before.
 *
 *   npm run build && npx tsx bench/cli-start.ts [--runs 15] [--library DIR] [--baseline DIR]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchSection, SectionGoal, SectionOptions } from './lib/section.js';
import { median } from './lib/stats.js';

const ROOT = join(__dirname, '..');

/**
 * The goals, as ratios of `node -e 0`, which takes 40–60 ms (Node 20) on the 2-core machine they
 * were set on, so the issue's "well under 0.5 s" is well under 8–12× of it. Help, version and a
 * usage error parse argv and print: at most twice a bare node start (~100 ms). A whole `invoke`
 * loads rxjs, undici, the signer and the credential chain (about 170 ms of CPU on Node 20, most of
 * it compiling and resolving their ~400 modules) and makes one request over loopback: at most 6×
 * (~300 ms at 50 ms, 40 % under 0.5 s; 240 ms where `node -e 0` takes 40 ms). Its wall time on a
 * busy machine also waits for the emulator process to be scheduled, so read it with the CPU
 * column. Faster Node starts raise the ratio (Node 22: `node -e 0` ~20 ms of CPU, the modules no
 * cheaper), so compare ratios on one Node.
 */
export const CLI_START_GOALS = { help: 2, invoke: 6 } as const;

/** The commands timed, each as the words after the bin. */
interface CliCase {
  name: string;
  args: (endpointUrl: string) => string[];
  goal: number;
}

const CASES: readonly CliCase[] = [
  { name: 'sagemaker-rx --help', args: () => ['--help'], goal: CLI_START_GOALS.help },
  { name: 'sagemaker-rx invoke --help', args: () => ['invoke', '--help'], goal: CLI_START_GOALS.help },
  { name: 'sagemaker-rx --version', args: () => ['--version'], goal: CLI_START_GOALS.help },
  {
    name: "sagemaker-rx invoke echo --body '{}'",
    args: (url) => ['invoke', 'echo', '--body', '{}', '--endpoint-url', url, '--region', 'us-east-1'],
    goal: CLI_START_GOALS.invoke,
  },
];

/** What one child reported: wall ms (measured here) and CPU ms (user + system, its own count). */
interface Sample {
  wallMs: number;
  cpuMs: number;
}

/** The preload's marker on the child's stderr, followed by its CPU microseconds. */
const CPU_MARKER = '\n#sagemaker-rx-bench-cpu ';

/** The emulator in a child process, and the credentials it checks. */
interface EmulatorProcess {
  url: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

/** Starts `sagemaker-rx emulator` from `bin` on a free loopback port and reads its banner. */
function startEmulatorProcess(bin: string, env: NodeJS.ProcessEnv): Promise<EmulatorProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'emulator', '--port', '0', '--record-requests', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let banner = '';
    let stderr = '';
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const fail = (why: string): void => {
      child.kill('SIGKILL');
      reject(new Error(`the emulator did not start: ${why}${stderr ? `\n${stderr}` : ''}`));
    };
    const timer = setTimeout(() => fail('no banner within 20 s'), 20_000);
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!banner.includes('Press Ctrl-C')) fail(`exited with ${code}`);
    });
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      banner += d;
      if (!banner.includes('Press Ctrl-C')) return;
      clearTimeout(timer);
      const url = /listening on (\S+)/.exec(banner)?.[1];
      const accessKeyId = /access key id:\s+(\S+)/.exec(banner)?.[1];
      const secretAccessKey = /secret access key:\s+(\S+)/.exec(banner)?.[1];
      if (!url || !accessKeyId || !secretAccessKey) return fail(`unexpected banner:\n${banner}`);
      resolve({
        url,
        accessKeyId,
        secretAccessKey,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

/** The children's environment: nothing from this machine's AWS setup, the emulator's key pair. */
function childEnv(emulator?: Pick<EmulatorProcess, 'accessKeyId' | 'secretAccessKey'>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && k !== 'SAGEMAKER_RX_DEBUG' && k !== 'NODE_OPTIONS') env[k] = v;
  return {
    ...env,
    AWS_CONFIG_FILE: join(tmpdir(), 'sagemaker-rx-no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'sagemaker-rx-no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...(emulator ? { AWS_ACCESS_KEY_ID: emulator.accessKeyId, AWS_SECRET_ACCESS_KEY: emulator.secretAccessKey } : {}),
  };
}

/** Runs `node <args>` to completion; throws unless it exits 0. */
function timeOne(name: string, args: string[], preload: string, env: NodeJS.ProcessEnv): Sample {
  const started = performance.now();
  const run = spawnSync(process.execPath, ['-r', preload, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const wallMs = performance.now() - started;
  const stderr = run.stderr.toString();
  if (run.status !== 0) throw new Error(`${name} exited with ${run.status ?? run.signal}: ${stderr.slice(0, 500)}`);
  const at = stderr.lastIndexOf(CPU_MARKER);
  const cpuMs = at >= 0 ? Number(stderr.slice(at + CPU_MARKER.length)) / 1000 : Number.NaN;
  return { wallMs, cpuMs };
}

const fmt = (ms: number): string => (Number.isFinite(ms) ? ms.toFixed(0) : '–');
const times = (ratio: number): string => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–');

/** Measures the CLI's start (see the file's comment) and renders it as a section of `npm run bench`. */
export async function measureCliStart(options: SectionOptions, runsOverride?: number): Promise<BenchSection> {
  const libraryDir = options.libraryDir ?? join(ROOT, 'dist', 'cjs');
  const bin = join(libraryDir, 'cli', 'bin.js');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build first`);
  const baselineBin = options.baselineDir !== undefined ? join(options.baselineDir, 'cli', 'bin.js') : undefined;
  if (baselineBin !== undefined && !existsSync(baselineBin)) throw new Error(`${baselineBin} is missing`);
  const runs = runsOverride ?? (options.quick ? 3 : 15);

  // The preload reports the child's own CPU time on exit, after everything it printed.
  const scratch = mkdtempSync(join(tmpdir(), 'sagemaker-rx-cli-start-'));
  const preload = join(scratch, 'report-cpu.js');
  writeFileSync(
    preload,
    `process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeSync(2, ${JSON.stringify(CPU_MARKER)} + (u.user + u.system)); });\n`,
  );
  const load = loadavg()[0]!;
  const emulator = await startEmulatorProcess(bin, childEnv());
  try {
    const env = childEnv(emulator);
    const jobs: { name: string; build: 'node' | 'after' | 'before'; args: string[]; case?: CliCase }[] = [{ name: 'node -e 0', build: 'node', args: ['-e', '0'] }];
    for (const c of CASES) {
      jobs.push({ name: c.name, build: 'after', args: [bin, ...c.args(emulator.url)], case: c });
      if (baselineBin !== undefined) jobs.push({ name: c.name, build: 'before', args: [baselineBin, ...c.args(emulator.url)], case: c });
    }
    options.log(`cli-start: ${runs} rounds of ${jobs.length} processes`);
    for (const job of jobs) timeOne(job.name, job.args, preload, env); // warm the file cache
    const samples = jobs.map(() => [] as Sample[]);
    for (let r = 0; r < runs; r++) {
      for (let k = 0; k < jobs.length; k++) {
        const i = (k + r) % jobs.length;
        const job = jobs[i]!;
        samples[i]!.push(timeOne(job.name, job.args, preload, env));
      }
    }
    const loadAfter = loadavg()[0]!;

    const wall = samples.map((s) => median(s.map((x) => x.wallMs)));
    const cpu = samples.map((s) => median(s.map((x) => x.cpuMs)));
    const [baseWall, baseCpu] = [wall[0]!, cpu[0]!];
    const index = (name: string, build: 'after' | 'before'): number => jobs.findIndex((j) => j.name === name && j.build === build);

    const head = ['command', 'median wall ms', '× node -e 0', 'median CPU ms', 'CPU × node -e 0', ...(baselineBin ? ['before: wall ms', 'after ÷ before (wall)', 'after ÷ before (CPU)'] : [])];
    const rows = [[`\`node -e 0\``, fmt(baseWall), '1.00×', fmt(baseCpu), '1.00×', ...(baselineBin ? ['', '', ''] : [])]];
    const goals: SectionGoal[] = [];
    for (const c of CASES) {
      const a = index(c.name, 'after');
      const b = baselineBin ? index(c.name, 'before') : -1;
      rows.push([
        `\`${c.name}\``,
        fmt(wall[a]!),
        times(wall[a]! / baseWall),
        fmt(cpu[a]!),
        times(cpu[a]! / baseCpu),
        ...(b >= 0 ? [fmt(wall[b]!), times(wall[a]! / wall[b]!), times(cpu[a]! / cpu[b]!)] : []),
      ]);
      goals.push({ target: `\`${c.name}\` ≤ ${c.goal}× \`node -e 0\``, where: 'wall, median', ratio: wall[a]! / baseWall, atMost: c.goal });
    }
    for (const c of CASES) {
      const b = baselineBin ? index(c.name, 'before') : -1;
      if (b >= 0) goals.push({ target: `\`${c.name}\` after ÷ before`, where: 'wall, median', ratio: wall[index(c.name, 'after')]! / wall[b]!, atMost: 1 });
    }
    const table = [`| ${head.join(' | ')} |`, `| --- |${' ---: |'.repeat(head.length - 1)}`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
    const over = CASES.filter((c) => !(wall[index(c.name, 'after')]! < 500)).map((c) => c.name);
    const markdown = [
      table,
      '',
      `${runs} rounds, each running every command once in a rotating order; medians. Load average ${load.toFixed(1)} before, ${loadAfter.toFixed(1)} after (2 cores: above 2 the wall figures stretch).`,
      `Goal: well under 0.5 s. ${over.length === 0 ? 'Every median here is under 500 ms.' : `Over 500 ms in this run: ${over.join(', ')}.`} ` +
        `As ratios of \`node -e 0\` (${process.version}; 40–60 ms on an idle 2-core machine with Node 20, so 0.5 s is 8–12× of it): help, version ≤ ${CLI_START_GOALS.help}× (~100 ms), ` +
        `a whole \`invoke\` (rxjs, undici, signer, credential chain, one request to an emulator in another process) ≤ ${CLI_START_GOALS.invoke}× (~300 ms).`,
    ].join('\n');
    return { title: 'CLI start', markdown, goals };
  } finally {
    await emulator.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  const runs = argValue('--runs');
  const libraryDir = argValue('--library');
  const baselineDir = argValue('--baseline');
  measureCliStart(
    {
      quick: process.argv.includes('--quick'),
      ...(libraryDir !== undefined ? { libraryDir } : {}),
      ...(baselineDir !== undefined ? { baselineDir } : {}),
      log: (line) => process.stderr.write(`${line}\n`),
    },
    runs !== undefined ? Number(runs) || 15 : undefined,
  ).then(
    (section) => {
      process.stdout.write(`${section.markdown}\n\n`);
      for (const g of section.goals) {
        const ok = g.ratio !== undefined && g.atMost !== undefined && g.ratio <= g.atMost;
        process.stdout.write(`- ${g.target} (${g.where}): ${g.ratio?.toFixed(2)}× ${ok ? 'met' : 'missed'}\n`);
      }
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
