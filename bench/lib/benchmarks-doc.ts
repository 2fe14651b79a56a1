/**
 * Keeps BENCHMARKS.md in step with the latest run: the text between its `<!-- latest:start -->`
 * and `<!-- latest:end -->` markers is replaced by the report (its heading demoted one level), so
 * the committed document shows the tables of the committed `bench/results/latest.md`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const START = '<!-- latest:start -->';
const END = '<!-- latest:end -->';

/** Returns false (and leaves the file alone) when the file or its markers are missing. */
export function updateBenchmarksDoc(file: string, report: string): boolean {
  if (!existsSync(file)) return false;
  const doc = readFileSync(file, 'utf8');
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) return false;
  const body = report
    .replace(/^# .*\n+/, '')
    .replace(/^(#{2,5}) /gm, '#$1 ')
    .trim();
  writeFileSync(file, `${doc.slice(0, start + START.length)}\n${body}\n${doc.slice(end)}`);
  return true;
}
