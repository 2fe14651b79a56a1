/**
 * The sections `npm run bench` runs after the client rounds: each is a script of its own
 * (`bench/cli-start.ts`, `bench/emulator-load.ts`, `bench/streaming.ts`) that exports a
 * `measure…(options)` giving a `BenchSection`. Loaded when the run starts, so a script that does
 * not export its function yet shows as pending in the report instead of failing the run.
 */
import { join } from 'node:path';
import type { BenchSection, SectionGoal, SectionOptions } from './section.js';
import type { TargetCheck } from './targets.js';

export const SECTION_IDS = ['cli-start', 'emulator-load', 'streaming'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

const SECTIONS: Readonly<Record<SectionId, { script: string; exportName: string; title: string }>> = {
  'cli-start': { script: 'cli-start', exportName: 'measureCliStart', title: 'CLI start' },
  'emulator-load': { script: 'emulator-load', exportName: 'measureEmulatorLoad', title: 'The emulator as a load target' },
  streaming: { script: 'streaming', exportName: 'measureStreaming', title: 'Response streaming' },
};

export function sectionId(value: string): SectionId {
  const id = SECTION_IDS.find((s) => s === value);
  if (!id) throw new RangeError(`unknown section "${value}": one of ${SECTION_IDS.join(', ')}`);
  return id;
}

/** A section's result: measured, or why not. */
export type SectionResult = { id: SectionId; title: string; section: BenchSection } | { id: SectionId; title: string; failed: string };

type Measure = (options: SectionOptions) => Promise<BenchSection>;

/** Runs the sections one after the other (each measures alone: none overlaps another or the client rounds). */
export async function runSections(ids: readonly SectionId[], options: SectionOptions): Promise<SectionResult[]> {
  const results: SectionResult[] = [];
  for (const id of ids) {
    const { script, exportName, title } = SECTIONS[id];
    options.log(`section ${id}`);
    try {
      const measure = (require(join(__dirname, '..', script)) as Record<string, unknown>)[exportName];
      if (typeof measure !== 'function') throw new Error(`bench/${script}.ts does not export ${exportName} yet`);
      results.push({ id, title, section: await (measure as Measure)(options) });
    } catch (err) {
      const why = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      options.log(`section ${id} failed: ${why}`);
      results.push({ id, title, failed: why });
    }
  }
  return results;
}

/** A section goal as a row of the targets table. */
export function goalCheck(goal: SectionGoal): TargetCheck {
  const { target, where, ratio, atLeast, atMost } = goal;
  const required = atMost !== undefined ? `≤ ${atMost}×` : `≥ ${atLeast ?? 1}×`;
  if (ratio === undefined || !Number.isFinite(ratio) || !(ratio > 0)) return { target, where, measured: 'not measured', required, met: undefined };
  if (atMost !== undefined) return { target, where, measured: `${ratio.toFixed(2)}×`, required, met: ratio <= atMost, margin: atMost / ratio - 1 };
  const bar = atLeast ?? 1;
  return { target, where, measured: `${ratio.toFixed(2)}×`, required, met: ratio >= bar, margin: ratio / bar - 1 };
}

/** The goals of every measured section, as target rows; a failed section gives one "not measured" row. */
export function sectionChecks(results: readonly SectionResult[]): TargetCheck[] {
  return results.flatMap((r) => ('section' in r ? r.section.goals.map(goalCheck) : [{ target: r.title, where: '–', measured: 'not measured', required: '–', met: undefined }]));
}

/** The sections as Markdown, each under its own heading. */
export function renderSections(results: readonly SectionResult[]): string {
  return results
    .map((r) => `### ${r.title}\n\n${'section' in r ? r.section.markdown.trim() : `_Not measured: ${r.failed}_`}`)
    .join('\n\n');
}
