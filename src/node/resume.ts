/**
 * Resuming an interrupted run: which input records the previous run already wrote, read from its
 * output and errors files, so the next run skips them and appends.
 *
 * - By count (the default, needs ordered outcomes and an errors file): the errors file names the
 *   input lines that failed; the output holds the first K enriched records. Because an output line
 *   is written only after every error line before it reached the OS (`OutcomeWriter`), the records
 *   to skip are exactly the failed lines plus the first K other records.
 * - By key (`key: 'id'`): every record whose key (its raw JSON text, strings compared by value)
 *   is in either file is skipped. Works for unordered runs too. A record without the key (or a
 *   line that is not JSON) is matched by its whole text against the errors file; one that was
 *   enriched without a key is done again (at least once).
 *
 * A last line cut short by a crash (no line terminator) is not counted, and `validBytes` tells the
 * caller where to truncate the file before appending, so the record is simply done again.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { EnrichRecord } from './enrich-record.js';
import { parseFieldPath, type FieldPath } from './field-path.js';
import { rawValueAt } from './json-text.js';
import type { JsonLineMeta } from './json-lines-source.js';

/** What a previous run left: the skip rule, and how much of each file is whole lines. */
export interface ResumePoint {
  /** True for a record the previous run already wrote. Stateful in count mode: call once per record, in input order. */
  readonly isDone: (record: EnrichRecord<JsonLineMeta>) => boolean;
  /** Records found written to the output. */
  readonly enriched: number;
  /** Records found written to the errors file. */
  readonly failed: number;
  /** Bytes of whole lines in the output file (truncate to this before appending). */
  readonly outputBytes: number;
  /** Bytes of whole lines in the errors file. */
  readonly errorsBytes: number;
}

/** Options of `readResumePoint`. */
export interface ReadResumePointOptions {
  /** The previous output (missing: nothing written). */
  output: string;
  /** The previous errors file (required when resuming by count). */
  errors?: string;
  /** Resume by this key path instead of by count. */
  key?: string;
}

/** Whole lines of a file, and the bytes they span; a missing file has none. */
async function wholeLines(path: string, each: (line: string) => void): Promise<number> {
  const stream = createReadStream(path);
  try {
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  // Bytes are counted from the raw chunks so multi-byte characters and CRLF are exact.
  let bytes = 0;
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const data: Buffer = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let start = 0;
    for (let nl = data.indexOf(0x0a, start); nl >= 0; nl = data.indexOf(0x0a, start)) {
      const text = data.toString('utf8', start, nl).replace(/\r$/, '');
      if (text.trim() !== '') each(text);
      bytes += nl + 1 - start;
      start = nl + 1;
    }
    pending = data.subarray(start);
  }
  return bytes;
}

/** The identity of a key's raw text: strings by value (so `"a"` and `"\u0061"` match), anything else as written. */
function keyIdentity(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  return raw.charCodeAt(0) === 0x22 ? `s${JSON.parse(raw) as string}` : `r${raw}`;
}

/** Reads what a previous run wrote and returns the rule that skips those records. */
export async function readResumePoint(options: ReadResumePointOptions): Promise<ResumePoint> {
  const keyPath: FieldPath | undefined = options.key === undefined ? undefined : parseFieldPath(options.key, 'resume key');
  if (!keyPath) {
    if (options.errors === undefined) throw new TypeError('resume by count needs the errors file (failures are known only from it); or resume by key');
    let enriched = 0;
    const failedLines = new Set<number>();
    const outputBytes = await wholeLines(options.output, () => void enriched++);
    const errorsBytes = await wholeLines(options.errors, (text) => {
      const line = Number(rawValueAt(text, ['line']));
      if (Number.isInteger(line)) failedLines.add(line);
    });
    let skippedEnriched = 0;
    return {
      enriched,
      failed: failedLines.size,
      outputBytes,
      errorsBytes,
      isDone: (record) => {
        if (failedLines.has(record.meta.line)) return true;
        if (skippedEnriched < enriched) {
          skippedEnriched++;
          return true;
        }
        return false;
      },
    };
  }
  const keys = new Set<string>();
  const add = (raw: string | undefined) => {
    const id = keyIdentity(raw);
    if (id !== undefined) keys.add(id);
  };
  let enriched = 0;
  let failed = 0;
  const safeRaw = (text: string, path: FieldPath) => {
    try {
      return rawValueAt(text, path);
    } catch {
      return undefined;
    }
  };
  const outputBytes = await wholeLines(options.output, (text) => {
    enriched++;
    add(safeRaw(text, keyPath));
  });
  const errorsBytes =
    options.errors === undefined
      ? 0
      : await wholeLines(options.errors, (text) => {
          failed++;
          const key = safeRaw(text, ['record', ...keyPath]);
          if (key !== undefined) return add(key);
          // A record without the key (or a line that was not JSON) is known by its whole text.
          const record = safeRaw(text, ['record']);
          const raw = record === 'null' ? safeRaw(text, ['raw']) : undefined;
          if (raw !== undefined) keys.add(`l${JSON.parse(raw) as string}`);
          else if (record !== undefined) keys.add(`l${record}`);
        });
  return {
    enriched,
    failed,
    outputBytes,
    errorsBytes,
    isDone: (record) => {
      let raw: string | undefined;
      try {
        raw = rawValueAt(record.line.trim(), keyPath);
      } catch {
        raw = undefined; // not JSON: matched by its text below
      }
      const id = keyIdentity(raw);
      return id !== undefined ? keys.has(id) : keys.has(`l${record.line.trim()}`) || keys.has(`l${record.line}`);
    },
  };
}
