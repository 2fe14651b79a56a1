/**
 * A part of `npm run bench` that runs beside the client rounds (CLI start, the emulator as a load
 * target, streaming): it measures, renders its own Markdown, and hands its goals over as ratios
 * measured in the same run, so the report's goals table lists them with the client targets.
 */

/** One goal as a ratio from this run. Exactly one of `atLeast` / `atMost` is set. */
export interface SectionGoal {
  /** What the goal is, e.g. `emulator ≥ 0.7× bare node:http`. */
  target: string;
  /** The configuration, e.g. `1 KiB, c=16`. */
  where: string;
  /** The measured ratio; `undefined` when it could not be measured. */
  ratio: number | undefined;
  atLeast?: number;
  atMost?: number;
}

export interface BenchSection {
  /** The heading of the section in the report. */
  title: string;
  /** The section's tables and notes (Markdown, no heading). */
  markdown: string;
  goals: SectionGoal[];
}

export interface SectionOptions {
  /** A shorter run (the `--smoke` mode and tests). */
  quick: boolean;
  /**
   * A CommonJS build of the library as committed at `--baseline REF` (see build-library.ts):
   * when set, the section also measures it, interleaved, and adds after ÷ before figures.
   */
  baselineDir?: string;
  /** The CommonJS build under test (see build-library.ts); `undefined`: the section picks `src/` or `dist/cjs`. */
  libraryDir?: string;
  /** Progress lines (stderr). */
  log(line: string): void;
}
