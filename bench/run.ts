/**
 * `npm run bench`: sagemaker-rx against the official AWS SDK v3 client and bare undici, in one
 * run, on one machine, reported as ratios. Progress goes to stderr; the Markdown report goes to
 * stdout and (default and `--full` modes) to `bench/results/latest.md`.
 *
 *   npx tsx bench/run.ts            default mode, under 5 minutes on 2 cores
 *   npx tsx bench/run.ts --full     longer windows, 5 rounds, 1,000,000 records
 *   npx tsx bench/run.ts --smoke    one client, one configuration, 200 requests
 *   npx tsx bench/run.ts --sections-only   only CLI start, the emulator as a load target, streaming
 *   npx tsx bench/run.ts --scale-out  JetStream workers (1, 2, 3) and file mode, 20 ms model (bench/scale-out.ts)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_OUT, HelpRequested, parseArgs, USAGE, type BenchOptions } from './lib/args.js';
import { updateBenchmarksDoc } from './lib/benchmarks-doc.js';
import { BASELINE_DIR_ENV, buildLibrary, LIBRARY_DIR_ENV } from './lib/build-library.js';
import { runClientRounds, type ConfigResult } from './lib/client-rounds.js';
import { loadAverage, machineInfo } from './lib/machine.js';
import { runPipelines, type PipelineResults } from './lib/pipelines.js';
import { runSections, sectionChecks, type SectionResult } from './lib/sections.js';
import { renderReport } from './lib/report.js';
import { runScaleOut } from './scale-out.js';
import { startServerProcess } from './lib/server-process.js';
import { checkTargets } from './lib/targets.js';

const ROOT = resolve(__dirname, '..');
const log = (line: string): void => { process.stderr.write(`${line}\n`); };

async function measureClients(options: BenchOptions): Promise<ConfigResult[]> {
  if (!options.clientTable) return [];
  const server = await startServerProcess(0);
  log(`bench server ${server.url} (pid ${server.pid})`);
  try {
    return await runClientRounds(server.url, options, log);
  } finally {
    await server.stop();
  }
}

async function main(): Promise<number> {
  if (process.argv.slice(2).includes('--scale-out')) {
    process.stdout.write(await runScaleOut());
    return 0;
  }
  let options: BenchOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof HelpRequested) { process.stdout.write(`${USAGE}\n`); return 0; }
    log(err instanceof Error ? err.message : String(err));
    return 2;
  }
  if (options.profileDir !== undefined) {
    options.profileDir = resolve(options.profileDir);
    mkdirSync(options.profileDir, { recursive: true });
  }
  const startedAt = new Date();
  const loadBefore = loadAverage();
  log(`sagemaker-rx bench, mode ${options.mode}, load average ${loadBefore}`);
  let library = 'src/ through tsx (`--from-src`)';
  let removeBuild = (): void => undefined;
  const needsLibrary = options.clients.some((c) => c.startsWith('sagemaker-rx')) || options.invokeEachRecords > 0 || options.batchingRecords > 0 || options.sections.length > 0;
  if (!needsLibrary) library = 'not used';
  else if (options.libraryDir !== undefined) {
    process.env[LIBRARY_DIR_ENV] = resolve(options.libraryDir);
    library = `loaded from \`${options.libraryDir}\` (\`--library\`)`;
  } else if (!options.fromSrc) {
    const built = buildLibrary();
    removeBuild = built.remove;
    process.env[LIBRARY_DIR_ENV] = built.dir;
    library = `compiled from the working tree's src/ by tsc, as \`npm run build\` builds \`dist/cjs\` (${(built.ms / 1000).toFixed(1)} s)`;
    log(`compiled sagemaker-rx into ${built.dir} in ${(built.ms / 1000).toFixed(1)} s`);
  }

  if (options.baselineRef !== undefined) {
    const baseline = buildLibrary(options.baselineRef);
    const removeOwn = removeBuild;
    removeBuild = () => { removeOwn(); baseline.remove(); };
    process.env[BASELINE_DIR_ENV] = baseline.dir;
    library += `; baseline: \`${options.baselineRef}\` compiled the same way (${(baseline.ms / 1000).toFixed(1)} s)`;
    log(`compiled the baseline ${options.baselineRef} into ${baseline.dir} in ${(baseline.ms / 1000).toFixed(1)} s`);
  }

  let configs: ConfigResult[];
  let pipelines: PipelineResults;
  let sections: SectionResult[];
  try {
    configs = await measureClients(options);
    pipelines = await runPipelines(options, log);
    const libraryDir = process.env[LIBRARY_DIR_ENV];
    const baselineDir = process.env[BASELINE_DIR_ENV];
    sections = await runSections(options.sections, {
      quick: options.mode === 'smoke',
      ...(libraryDir !== undefined ? { libraryDir } : {}),
      ...(baselineDir !== undefined ? { baselineDir } : {}),
      log,
    });
  } finally {
    removeBuild();
  }

  const report = renderReport({
    options,
    library,
    machine: machineInfo(),
    startedAt,
    wallSeconds: (Date.now() - startedAt.getTime()) / 1000,
    loadBefore,
    loadAfter: loadAverage(),
    configs,
    ...(pipelines.invokeEach ? { invokeEach: pipelines.invokeEach } : {}),
    ...(pipelines.invokeEachPush ? { invokeEachPush: pipelines.invokeEachPush } : {}),
    ...(pipelines.batching ? { batching: pipelines.batching } : {}),
    pending: pipelines.pending,
    sections,
    targets: [...checkTargets(configs, pipelines.invokeEach, pipelines.batching), ...sectionChecks(sections)],
  });
  process.stdout.write(report);
  if (options.out !== undefined) {
    const out = resolve(ROOT, options.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, report);
    log(`wrote ${out}`);
    // The committed document shows the committed results: only a run that writes them updates it.
    if (out === resolve(ROOT, DEFAULT_OUT) && updateBenchmarksDoc(resolve(ROOT, 'BENCHMARKS.md'), report)) log('updated the tables in BENCHMARKS.md');
  }
  const measuredSomething = configs.some((c) => c.rows.some((r) => r.requestsPerSecond > 0)) || pipelines.invokeEach !== undefined || pipelines.batching !== undefined || pipelines.pending.length > 0
    || sections.some((s) => 'section' in s);
  const anyErrors = configs.some((c) => c.rows.some((r) => r.errors > 0))
    || [pipelines.invokeEach, pipelines.invokeEachPush, pipelines.batching?.batched, pipelines.batching?.unbatched].some((p) => p !== undefined && p.errors > 0);
  if (!measuredSomething) log('nothing was measured');
  if (anyErrors) log('some requests failed: see the errors column');
  const failedSections = sections.filter((s) => 'failed' in s).map((s) => s.id);
  if (failedSections.length > 0) log(`sections not measured: ${failedSections.join(', ')}`);
  return measuredSomething && !anyErrors && failedSections.length === 0 ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (err: unknown) => {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
