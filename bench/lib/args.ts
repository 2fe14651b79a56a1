/**
 * Command-line options of `bench/run.ts`: a mode (`default`, `--full`, `--smoke`) and overrides.
 */
import { CLIENTS, clientInfo, DEFAULT_CLIENTS, type ClientId } from '../clients/registry.js';
import { SECTION_IDS, sectionId, type SectionId } from './sections.js';

export type BenchMode = 'default' | 'full' | 'smoke';

export interface BenchOptions {
  mode: BenchMode;
  clients: ClientId[];
  bodies: number[];
  concurrencies: number[];
  /** Rounds per configuration; each round runs every client once, in order. */
  repeats: number;
  /** Unmeasured warm-up before every measurement, in ms. */
  warmupMs: number;
  /** Unmeasured warm-up of a fresh worker before its first round, in ms (JIT and connections settle for seconds). */
  firstWarmupMs: number;
  /** Measured window per client per round, in ms. */
  durationMs: number;
  /** Measure a fixed number of requests instead of a window. */
  requests?: number;
  /** Records through `invokeEach` at concurrency 64, latency 0 (0 skips it). */
  invokeEachRecords: number;
  /** Records at 20 ms model latency, unbatched vs batches of 32 (0 skips it). */
  batchingRecords: number;
  /** Also run `invokeEach` from `from(generator)` (push), to compare its memory with the pulled source. */
  invokeEachPush: boolean;
  /** Run the client table (false with `--pipelines-only` and `--sections-only`). */
  clientTable: boolean;
  /** The sections measured after the client rounds and pipelines: CLI start, emulator load, streaming. */
  sections: SectionId[];
  /** Write V8 CPU profiles of every measured window (client workers) and pipeline worker to this directory; figures then include the profiler's cost. */
  profileDir?: string;
  /** Where to write the Markdown report; undefined: stdout only. */
  out?: string;
  /** Load sagemaker-rx from `src/` through tsx instead of compiling it first (quicker, less faithful). */
  fromSrc: boolean;
  /** Load sagemaker-rx from this compiled CommonJS directory (e.g. `dist/cjs`) instead of compiling it. */
  libraryDir?: string;
  /** A git ref whose committed src/ the `…-baseline` clients measure beside the working tree's. */
  baselineRef?: string;
}

export const DEFAULT_OUT = 'bench/results/latest.md';

const MODES: Readonly<Record<BenchMode, Omit<BenchOptions, 'mode' | 'profileDir' | 'fromSrc' | 'libraryDir' | 'baselineRef'>>> = {
  default: {
    clients: [...DEFAULT_CLIENTS],
    bodies: [1024, 262_144],
    concurrencies: [1, 16, 64],
    repeats: 3,
    warmupMs: 250,
    firstWarmupMs: 1500,
    durationMs: 1200,
    invokeEachRecords: 100_000,
    batchingRecords: 10_000,
    invokeEachPush: false,
    clientTable: true,
    sections: [...SECTION_IDS],
    out: DEFAULT_OUT,
  },
  full: {
    clients: [...DEFAULT_CLIENTS],
    bodies: [1024, 262_144],
    concurrencies: [1, 16, 64],
    repeats: 5,
    warmupMs: 1000,
    firstWarmupMs: 3000,
    durationMs: 5000,
    invokeEachRecords: 1_000_000,
    batchingRecords: 100_000,
    invokeEachPush: true,
    clientTable: true,
    sections: [...SECTION_IDS],
    out: DEFAULT_OUT,
  },
  smoke: {
    clients: ['undici-signed'],
    bodies: [1024],
    concurrencies: [4],
    repeats: 1,
    warmupMs: 100,
    firstWarmupMs: 100,
    durationMs: 0,
    requests: 200,
    invokeEachRecords: 0,
    batchingRecords: 0,
    invokeEachPush: false,
    clientTable: true,
    sections: [],
  },
};

export const USAGE = `usage: npx tsx bench/run.ts [--full | --smoke] [options]
  --full                longer windows, 5 rounds, 1,000,000 records through invokeEach, 100,000 batched
  --smoke               one client, one configuration, 200 requests (the smoke test)
  --clients a,b         ${CLIENTS.map((c) => c.id).join(', ')}
  --bodies 1024,262144  body sizes in bytes
  --concurrency 1,16,64
  --repeats N           rounds per configuration
  --duration-ms N       measured window per client per round
  --warmup-ms N         unmeasured warm-up before each measurement
  --first-warmup-ms N   unmeasured warm-up of a fresh worker before its first round
  --requests N          measure N requests instead of a window
  --invoke-each N       records through invokeEach (0: skip)
  --batching N          records for the batching comparison (0: skip)
  --push                also run invokeEach from from(generator), at most 300,000 records (on in --full)
  --no-pipelines        skip both pipeline benchmarks
  --pipelines-only      skip the client table
  --sections a,b        ${SECTION_IDS.join(', ')} (default and --full: all; --smoke: none)
  --no-sections         skip the sections
  --sections-only       only the sections (no client table, no pipelines)
  --from-src            load sagemaker-rx from src/ through tsx (default: compile it as npm run build does)
  --library DIR         load sagemaker-rx from a compiled CommonJS directory, e.g. dist/cjs
  --baseline REF        also measure sagemaker-rx as committed at git REF (e.g. main), beside each sagemaker-rx client
  --profile DIR         node --cpu-prof every worker into DIR (then: npx tsx bench/profile.ts DIR)
  --out FILE            write the Markdown report (default mode: ${DEFAULT_OUT}; --out - : none)`;

function positiveInts(flag: string, value: string | undefined): number[] {
  const list = (value ?? '').split(',').map((v) => Number(v.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new RangeError(`${flag} needs positive integers separated by commas, got "${String(value)}"`);
  }
  return list;
}

function nonNegativeInt(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${flag} needs an integer >= 0, got "${String(value)}"`);
  return n;
}

export function parseArgs(argv: readonly string[]): BenchOptions {
  const mode: BenchMode = argv.includes('--smoke') ? 'smoke' : argv.includes('--full') ? 'full' : 'default';
  const options: BenchOptions = { mode, ...MODES[mode], clients: [...MODES[mode].clients], sections: [...MODES[mode].sections], fromSrc: false };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i]!;
    const value = (): string | undefined => { i += 1; return argv[i]; };
    switch (flag) {
      case '--full': case '--smoke': break;
      case '--clients': options.clients = (value() ?? '').split(',').map((id) => clientInfo(id.trim()).id); break;
      case '--bodies': options.bodies = positiveInts(flag, value()); break;
      case '--concurrency': options.concurrencies = positiveInts(flag, value()); break;
      case '--repeats': options.repeats = positiveInts(flag, value())[0]!; break;
      case '--duration-ms': options.durationMs = positiveInts(flag, value())[0]!; delete options.requests; break;
      case '--warmup-ms': options.warmupMs = nonNegativeInt(flag, value()); options.firstWarmupMs = Math.max(options.firstWarmupMs, options.warmupMs); break;
      case '--first-warmup-ms': options.firstWarmupMs = nonNegativeInt(flag, value()); break;
      case '--requests': options.requests = positiveInts(flag, value())[0]!; break;
      case '--invoke-each': options.invokeEachRecords = nonNegativeInt(flag, value()); break;
      case '--batching': options.batchingRecords = nonNegativeInt(flag, value()); break;
      case '--no-pipelines': options.invokeEachRecords = 0; options.batchingRecords = 0; break;
      case '--push': options.invokeEachPush = true; break;
      case '--pipelines-only': options.clientTable = false; options.sections = []; break;
      case '--sections': options.sections = (value() ?? '').split(',').map((id) => sectionId(id.trim())); break;
      case '--no-sections': options.sections = []; break;
      case '--sections-only': options.clientTable = false; options.invokeEachRecords = 0; options.batchingRecords = 0; break;
      case '--from-src': options.fromSrc = true; break;
      case '--library': { const dir = value(); if (!dir) throw new RangeError('--library needs a directory'); options.libraryDir = dir; break; }
      case '--baseline': { const ref = value(); if (!ref) throw new RangeError('--baseline needs a git ref'); options.baselineRef = ref; break; }
      case '--profile': { const dir = value(); if (!dir) throw new RangeError('--profile needs a directory'); options.profileDir = dir; break; }
      case '--out': { const out = value(); if (!out) throw new RangeError('--out needs a file (or -)'); if (out === '-') delete options.out; else options.out = out; break; }
      case '--help': case '-h': throw new HelpRequested();
      default: throw new RangeError(`unknown option "${flag}"\n${USAGE}`);
    }
  }
  if (options.baselineRef !== undefined) {
    // Each sagemaker-rx client gets its baseline twin right after it, so the rounds alternate them.
    const withTwins: ClientId[] = [];
    for (const id of options.clients) {
      withTwins.push(id);
      if (id === 'sagemaker-rx' || id === 'sagemaker-rx-operators') withTwins.push(`${id}-baseline`);
    }
    options.clients = [...new Set(withTwins)];
  }
  return options;
}

/** Thrown by `parseArgs` for `--help`. */
export class HelpRequested extends Error {
  override name = 'HelpRequested';
}
