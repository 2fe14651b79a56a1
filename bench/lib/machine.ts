/** What the report says about where it ran: machine, OS, Node, package versions, load. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';

export interface MachineInfo {
  cpuModel: string;
  cpuCount: number;
  memoryGiB: number;
  os: string;
  node: string;
  packages: Record<string, string>;
}

const ROOT = join(__dirname, '..', '..');
const MEASURED_PACKAGES = ['undici', '@smithy/signature-v4', '@aws-sdk/client-sagemaker-runtime', '@smithy/node-http-handler', 'rxjs'] as const;

function packageVersion(name: string): string {
  try {
    const pkg = JSON.parse(readFileSync(require.resolve(`${name}/package.json`, { paths: [ROOT] }), 'utf8')) as { version?: string };
    return pkg.version ?? '?';
  } catch {
    return 'not installed';
  }
}

/** sagemaker-rx's version and the commit it ran at (`+dirty` when the tree had changes). */
function ownVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return `${pkg.version} (${commit}${dirty ? '+dirty src' : ''})`;
  } catch {
    return pkg.version;
  }
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  const packages: Record<string, string> = {};
  for (const name of MEASURED_PACKAGES) packages[name] = packageVersion(name);
  packages['sagemaker-rx'] = ownVersion();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cpuCount: list.length,
    memoryGiB: totalmem() / 1024 ** 3,
    os: `${type()} ${release()}`,
    node: process.version,
    packages,
  };
}

/** 1, 5 and 15 minute load averages, as `uptime` prints them. */
export function loadAverage(): string {
  return loadavg().map((l) => l.toFixed(2)).join(', ');
}
