/**
 * Summarises `.cpuprofile` files (from `bench/run.ts --profile DIR`): where a worker's CPU time
 * went, by function (self time) and by package/area, so a slow path can be named with evidence.
 *
 *   npx tsx bench/profile.ts DIR [--top 25] [--filter sagemaker-rx-1024-c64]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** Areas a frame is charged to, first match wins (paths as they appear in profile URLs). */
const AREAS: ReadonlyArray<[string, RegExp]> = [
  ['sagemaker-rx src/signing', /\/src\/signing\//],
  ['sagemaker-rx src/transport', /\/src\/transport\//],
  ['sagemaker-rx src/client', /\/src\/client\//],
  ['sagemaker-rx src/protocol', /\/src\/protocol\//],
  ['sagemaker-rx src/credentials', /\/src\/credentials\//],
  ['sagemaker-rx src/operators', /\/src\/operators\//],
  ['sagemaker-rx src (other)', /\/src\//],
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
  ['node: events, ticks, timers', /^node:(events|timers|internal\/(process\/task_queues|timers|event_target|abort_controller|async_hooks))/],
  ['node: buffer, url, util', /^node:(buffer|url|util|internal\/(buffer|url|util|webidl|validators|errors))/],
  ['node: other', /^node:/],
];

function areaOf(frame: CallFrame): string {
  if (frame.url === '') {
    if (frame.functionName === '(garbage collector)') return 'GC';
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') return frame.functionName;
    return 'native / V8 builtins';
  }
  return AREAS.find(([, re]) => re.test(frame.url))?.[0] ?? 'other';
}

function shortUrl(url: string): string {
  const i = url.lastIndexOf('node_modules/');
  if (i >= 0) return url.slice(i + 'node_modules/'.length);
  const s = url.indexOf('/src/');
  if (s >= 0) return url.slice(s + 1);
  const b = url.indexOf('/bench/');
  return b >= 0 ? url.slice(b + 1) : url.replace(/^file:\/\//, '');
}

function summarise(profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
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
  const lines = [`busy ${(busy / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms sampled`, '', 'by area (self time, % of busy):'];
  for (const [area, t] of [...areas].sort((a, b) => b[1] - a[1])) lines.push(`  ${pct(t)}  ${area}`);
  lines.push('', `top ${top} functions (self time):`);
  for (const [fn, t] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(t)}  ${fn}`);
  return lines.join('\n');
}

function main(): void {
  const argv = process.argv.slice(2);
  const dir = argv[0];
  if (!dir) { process.stderr.write('usage: npx tsx bench/profile.ts DIR [--top N] [--filter TEXT]\n'); process.exitCode = 2; return; }
  const top = Number(argv[argv.indexOf('--top') + 1]) || 25;
  const filter = argv.includes('--filter') ? argv[argv.indexOf('--filter') + 1] ?? '' : '';
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && f.includes(filter)).sort()) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    process.stdout.write(`\n== ${file}\n${summarise(profile, top)}\n`);
  }
}

main();
