/** Renders one run as Markdown: where it ran, the client table, the targets, the pipelines. */
import { CLIENTS, type ClientId } from '../clients/registry.js';
import type { BatchingResult, InvokeEachResult, PipelinePending } from '../pipeline/pipeline-result.js';
import type { BenchOptions } from './args.js';
import { formatBytes } from './body.js';
import type { ConfigResult } from './client-rounds.js';
import type { MachineInfo } from './machine.js';
import { renderSections, type SectionResult } from './sections.js';
import { rpsOf, type TargetCheck } from './targets.js';

export interface RunReport {
  options: BenchOptions;
  /** How sagemaker-rx was loaded. */
  library: string;
  machine: MachineInfo;
  startedAt: Date;
  wallSeconds: number;
  loadBefore: string;
  loadAfter: string;
  configs: ConfigResult[];
  invokeEach?: InvokeEachResult;
  invokeEachPush?: InvokeEachResult;
  batching?: { unbatched: BatchingResult; batched: BatchingResult };
  pending: PipelinePending[];
  /** CLI start, the emulator as a load target, streaming (whichever ran). */
  sections: SectionResult[];
  targets: TargetCheck[];
}

const label = (id: ClientId): string => CLIENTS.find((c) => c.id === id)?.label ?? id;
const fixed = (n: number | undefined, digits: number): string => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits));
const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined || !(b > 0) || !(a > 0) ? '–' : `${(a / b).toFixed(2)}×`);
const int = (n: number): string => Math.round(n).toLocaleString('en-US');

function table(header: readonly string[], rows: readonly (readonly string[])[], align: readonly ('l' | 'r')[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(align.map((a) => (a === 'r' ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

function environment(r: RunReport): string {
  const m = r.machine;
  const o = r.options;
  const window = o.requests !== undefined ? `${o.requests} requests` : `${o.durationMs} ms`;
  return [
    `- **Date**: ${r.startedAt.toISOString()} · **mode**: \`${o.mode}\` · wall time ${r.wallSeconds.toFixed(0)} s`,
    `- **Machine**: ${m.cpuCount} × ${m.cpuModel}, ${m.memoryGiB.toFixed(1)} GiB RAM, ${m.os}`,
    `- **Node** ${m.node} · ${Object.entries(m.packages).map(([name, v]) => `${name} ${v}`).join(' · ')}`,
    `- **Load average** (1, 5, 15 min) before: ${r.loadBefore} · after: ${r.loadAfter}`,
    `- **sagemaker-rx** ${r.library}`,
    `- **Method**: server in its own process (no signature check, loopback, keep-alive); each client in its own process;` +
      ` rounds alternate the clients (${o.clients.length} clients × ${o.repeats} rounds per configuration), warm-up ${o.warmupMs} ms` +
      ` (a fresh worker's first round: ${o.firstWarmupMs} ms), then a closed loop of \`concurrency\` workers for ${window}. Figures are medians over the rounds;` +
      ` peak RSS is the worker process's maximum. CPU is the client process's user + system time.`,
  ].join('\n');
}

function clientTables(r: RunReport): string {
  const parts: string[] = [];
  for (const bodyBytes of r.options.bodies) {
    const rows: string[][] = [];
    for (const config of r.configs.filter((c) => c.bodyBytes === bodyBytes)) {
      const c = config.concurrency;
      const sdk = rpsOf(r.configs, 'aws-sdk', bodyBytes, c);
      const undici = rpsOf(r.configs, 'undici', bodyBytes, c);
      const signed = rpsOf(r.configs, 'undici-signed', bodyBytes, c);
      for (const row of config.rows) {
        rows.push([
          String(c), label(row.client), int(row.requestsPerSecond), fixed(row.p50Ms, 2), fixed(row.p99Ms, 2),
          fixed(row.cpuMsPer1k, 0), fixed(row.peakRssMiB, 0),
          ratio(row.requestsPerSecond, sdk), ratio(row.requestsPerSecond, undici), ratio(row.requestsPerSecond, signed),
          row.errors === 0 ? '0' : `**${row.errors}**`,
          row.rounds.map((x) => int(x.requestsPerSecond)).join(' / '),
        ]);
      }
      for (const u of config.unavailable) rows.push([String(c), label(u.client), 'not run', '', '', '', '', '', '', '', '', u.reason.split('\n')[0]!.slice(0, 80)]);
    }
    parts.push(`### Body ${formatBytes(bodyBytes)}\n\n` + table(
      ['conc.', 'client', 'req/s', 'p50 ms', 'p99 ms', 'CPU ms / 1k req', 'peak RSS MiB', '× SDK', '× undici', '× undici+signer', 'errors', 'req/s per round'],
      rows, ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l']));
  }
  return parts.join('\n\n');
}

function targetsTable(r: RunReport): string {
  const verdict = (t: TargetCheck): string => (t.met === undefined ? 'not measured' : t.met ? 'met' : `**missed** by ${(-(t.margin ?? 0) * 100).toFixed(1)} %`);
  return table(['target', 'where', 'measured', 'required', 'verdict'],
    r.targets.map((t) => [t.target, t.where, t.measured, t.required, verdict(t)]), ['l', 'l', 'r', 'r', 'l']);
}

function pipelines(r: RunReport): string {
  const parts: string[] = [];
  const each = [r.invokeEach, r.invokeEachPush].filter((e): e is InvokeEachResult => e !== undefined);
  if (each.length > 0) {
    const source = { pulled: 'generator pulled as results arrive', push: '`from(generator)` (push)' } as const;
    parts.push(table(['invokeEach, latency 0', 'records', 'results', 'errors', 'records/s', 'RSS at 10 % MiB', 'at 50 %', 'at 100 %', 'peak RSS MiB'],
      each.map((e) => [`${source[e.source]}, c=${e.concurrency}`, int(e.records), int(e.results), String(e.errors), int(e.recordsPerSecond),
        fixed(e.rssMiBAt.p10, 0), fixed(e.rssMiBAt.p50, 0), fixed(e.rssMiBAt.p100, 0), fixed(e.peakRssMiB, 0)]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']));
  }
  if (r.batching) {
    const { unbatched, batched } = r.batching;
    const row = (b: BatchingResult, name: string): string[] => [name, int(b.records), int(b.results), String(b.errors), fixed(b.elapsedMs / 1000, 2), int(b.recordsPerSecond), fixed(b.peakRssMiB, 0)];
    parts.push(table([`${batched.latencyMs} ms model latency, c=${batched.concurrency}`, 'records', 'results', 'errors', 'seconds', 'records/s', 'peak RSS MiB'],
      [row(unbatched, 'unbatched (invokeEach)'), row(batched, `batchInvocations, batches of ${batched.batchSize}`),
        ['**ratio**', '', '', '', '', `**${(batched.recordsPerSecond / unbatched.recordsPerSecond).toFixed(1)}×**`, '']],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r']));
  }
  for (const p of r.pending) parts.push(`- **${p.name}: pending** — ${p.reason}`);
  return parts.length > 0 ? parts.join('\n\n') : '_Skipped in this mode._';
}

export function renderReport(r: RunReport): string {
  return [
    '# sagemaker-rx benchmarks — latest run',
    '',
    environment(r),
    '',
    '## Clients: InvokeEndpoint round trips',
    '',
    r.options.clientTable ? clientTables(r) : '_Skipped (`--pipelines-only` or `--sections-only`)._',
    '',
    '## Targets and goals (ratios measured in this run)',
    '',
    r.targets.length > 0 ? targetsTable(r) : '_No target applies to the configurations of this run._',
    '',
    '## Pipelines',
    '',
    pipelines(r),
    '',
    '## CLI start, the emulator, streaming',
    '',
    r.sections.length > 0 ? renderSections(r.sections) : '_Skipped in this mode._',
    '',
  ].join('\n');
}
