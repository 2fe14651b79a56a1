/**
 * Summarises `.cpuprofile` files (from `bench/run.ts --profile DIR`): where a worker's CPU time
 * went, by function (self time) and by package/area, so a slow path can be named with evidence.
 *
 *   npx tsx bench/profile.ts DIR [--top 25] [--filter sagemaker-rx-1024-c64] [--callers dispatch]
 *
 * `--callers NAME` adds, for functions named NAME, the self time split by their call paths
 * (four frames up), to tell which caller makes a hot native function hot. `--inclusive a,b`
 * adds the inclusive time of the functions named a, b (every sample with one on its stack).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** Areas a frame is charged to, first match wins (paths as they appear in profile URLs). */
/** Where sagemaker-rx's own files live in a profile: `src/` (tsx), the bench's build, or `dist/`. */
const OWN = String.raw`(?:\/src\/|\/sagemaker-rx-bench\/\d+\/cjs\/|\/dist\/(?:cjs|esm)\/)`;
/** The bench's private build lives under node_modules/.cache but is sagemaker-rx's own code. */
const BENCH_BUILD = /\/sagemaker-rx-bench\/\d+\/cjs\//;
const isDependency = (url: string): boolean => url.includes('/node_modules/') && !BENCH_BUILD.test(url);
const own = (folder: string): RegExp => new RegExp(`${OWN}${folder}\\/`);

/** Areas a frame is charged to, first match wins (paths as they appear in profile URLs). */
const AREAS: ReadonlyArray<[string, RegExp]> = [
  ['sagemaker-rx signing/', own('signing')],
  ['sagemaker-rx transport/', own('transport')],
  ['sagemaker-rx client/', own('client')],
  ['sagemaker-rx protocol/', own('protocol')],
  ['sagemaker-rx credentials/', own('credentials')],
  ['sagemaker-rx operators/', own('operators')],
  ['sagemaker-rx (other)', new RegExp(OWN)],
  ['@smithy/signature-v4', /@smithy\/signature-v4\//],
  ['@smithy/hash-node', /@smithy\/hash-node\//],
  ['@smithy/* (other)', /@smithy\//],
  ['@aws-sdk/*', /@aws-sdk\//],
  ['undici', /\/undici\//],
  ['rxjs', /\/rxjs\//],
  ['tsx loader', /\/tsx\//],
  ['bench harness', /\/bench\//],
  ['node: http/net/stream', /^node:(_http|http|net|stream|internal\/(streams|http|net|stream_base|js_stream))/],
  ['node: crypto', /^node:(crypto|internal\/crypto)/],
  ['node: AbortController, DOMException', /^node:internal\/(abort_controller|per_context\/domexception|event_target)/],
  ['node: events, ticks, timers', /^node:(events|timers|internal\/(process\/task_queues|timers|async_hooks))/],
  ['node: buffer, url, util', /^node:(buffer|url|util|internal\/(buffer|url|util|webidl|validators|errors))/],
  ['node: other', /^node:/],
];

function areaOf(frame: CallFrame): string {
  if (frame.url === '') {
    if (frame.functionName === '(garbage collector)') return 'GC';
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') return frame.functionName;
    return 'native / V8 builtins';
  }
  const inDependency = isDependency(frame.url);
  return AREAS.find(([name, re]) => !(inDependency && name.startsWith('sagemaker-rx')) && re.test(frame.url))?.[0] ?? 'other';
}

function shortUrl(url: string): string {
  const own = isDependency(url) ? null : new RegExp(`${OWN}(.*)$`).exec(url);
  if (own) return `rx:${own[1]}`;
  const i = url.lastIndexOf('node_modules/');
  if (i >= 0) return url.slice(i + 'node_modules/'.length);
  const b = url.indexOf('/bench/');
  return b >= 0 ? url.slice(b + 1) : url.replace(/^file:\/\//, '');
}

function frameLabel(frame: CallFrame): string {
  return `${frame.functionName || '(anonymous)'}${frame.url ? ` ${shortUrl(frame.url)}` : ''}`;
}

function callers(profile: CpuProfile, self: ReadonlyMap<number, number>, name: string, busy: number): string[] {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const paths = new Map<string, number>();
  for (const [id, t] of self) {
    if (byId.get(id)!.callFrame.functionName !== name) continue;
    const chain: string[] = [];
    for (let p = parent.get(id); p !== undefined && chain.length < 4; p = parent.get(p)) chain.push(frameLabel(byId.get(p)!.callFrame));
    const key = chain.join(' < ');
    paths.set(key, (paths.get(key) ?? 0) + t);
  }
  const lines = ['', `callers of ${name} (self time, % of busy):`];
  for (const [path, t] of [...paths].sort((a, b) => b[1] - a[1]).slice(0, 8)) lines.push(`  ${((t / busy) * 100).toFixed(1).padStart(5)} %  < ${path}`);
  return lines;
}

/** Nodes under the harness's own `startProfile` (the inspector call that starts the profiler): not the client's time. */
function profilerNodes(profile: CpuProfile): Set<number> {
  const out = new Set<number>();
  const visit = (id: number, inside: boolean): void => {
    const node = profile.nodes.find((n) => n.id === id)!;
    const here = inside || node.callFrame.functionName === 'startProfile';
    if (here) out.add(id);
    for (const c of node.children ?? []) visit(c, here);
  };
  if (profile.nodes[0]) visit(profile.nodes[0].id, false);
  return out;
}

function inclusive(profile: CpuProfile, self: ReadonlyMap<number, number>, names: readonly string[], busy: number): string[] {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>(names.map((n) => [n, 0]));
  for (const [id, t] of self) {
    const onStack = new Set<string>();
    for (let p: number | undefined = id; p !== undefined; p = parent.get(p)) onStack.add(byId.get(p)!.callFrame.functionName);
    for (const name of names) if (onStack.has(name)) totals.set(name, totals.get(name)! + t);
  }
  return ['', 'inclusive (% of busy):', ...names.map((n) => `  ${((totals.get(n)! / busy) * 100).toFixed(1).padStart(5)} %  ${n}`)];
}

function summarise(profile: CpuProfile, top: number, callersOf?: string, inclusiveOf: readonly string[] = [], requests?: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const excluded = profilerNodes(profile);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => { if (!excluded.has(id)) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)); });
  const idle = [...self].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((s, [, t]) => s + t, 0);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const busy = total - idle;
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  for (const [id, t] of self) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') continue;
    const key = `${frame.functionName || '(anonymous)'}  ${shortUrl(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    functions.set(key, (functions.get(key) ?? 0) + t);
    const area = areaOf(frame);
    areas.set(area, (areas.get(area) ?? 0) + t);
  }
  const pct = (t: number): string => `${((t / busy) * 100).toFixed(1).padStart(5)} %`;
  const perRequest = (t: number): string => (requests ? `  ${(t / requests).toFixed(1).padStart(6)} µs/req` : '');
  const lines = [
    `busy ${(busy / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms sampled${requests ? `, ${requests} requests: ${(busy / requests).toFixed(0)} µs of CPU per request` : ''}`,
    '', 'by area (self time, % of busy):',
  ];
  for (const [area, t] of [...areas].sort((a, b) => b[1] - a[1])) lines.push(`  ${pct(t)}${perRequest(t)}  ${area}`);
  lines.push('', `top ${top} functions (self time):`);
  for (const [fn, t] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(t)}  ${fn}`);
  if (callersOf !== undefined) lines.push(...callers(profile, self, callersOf, busy));
  if (inclusiveOf.length > 0) lines.push(...inclusive(profile, self, inclusiveOf, busy));
  return lines.join('\n');
}

function main(): void {
  const argv = process.argv.slice(2);
  const dir = argv[0];
  if (!dir) { process.stderr.write('usage: npx tsx bench/profile.ts DIR [--top N] [--filter TEXT]\n'); process.exitCode = 2; return; }
  const top = Number(argv[argv.indexOf('--top') + 1]) || 25;
  const filter = argv.includes('--filter') ? argv[argv.indexOf('--filter') + 1] ?? '' : '';
  const callersOf = argv.includes('--callers') ? argv[argv.indexOf('--callers') + 1] : undefined;
  const inclusiveOf = argv.includes('--inclusive') ? (argv[argv.indexOf('--inclusive') + 1] ?? '').split(',').filter(Boolean) : [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && f.includes(filter)).sort()) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const sidecar = join(dir, file.replace(/\.cpuprofile$/, '.requests.json'));
    const requests = existsSync(sidecar) ? (JSON.parse(readFileSync(sidecar, 'utf8')) as { requests: number }).requests : undefined;
    process.stdout.write(`\n== ${file}\n${summarise(profile, top, callersOf, inclusiveOf, requests)}\n`);
  }
}

main();
