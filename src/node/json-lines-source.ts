/**
 * The records of a JSON Lines stream, read one line at a time (a file of a million lines is never
 * in memory at once): non-blank lines with their 1-based line number, a UTF-8 BOM stripped from
 * the first.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { EnrichRecord } from './enrich-record.js';

/** The handle of a JSON Lines record: where it is in the input. */
export interface JsonLineMeta {
  /** 1-based line number in the input (blank lines counted). */
  readonly line: number;
}

/** Options of `jsonLinesRecords`. */
export interface JsonLinesRecordsOptions {
  /** Stop after this many non-blank lines. @default all */
  maxRecords?: number;
  /** Called for each record read; return true to skip it (it is counted, not yielded). */
  skip?: (record: EnrichRecord<JsonLineMeta>) => boolean;
  /** Called for each non-blank line read, skipped or not. */
  onRead?: (skipped: boolean) => void;
}

/** Yields the records of `input`. Returning early (or `return()`) closes the line reader; the caller owns the stream. */
export async function* jsonLinesRecords(input: Readable, options: JsonLinesRecordsOptions = {}): AsyncGenerator<EnrichRecord<JsonLineMeta>> {
  const reader = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  let records = 0;
  try {
    for await (const raw of reader) {
      line++;
      const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (text.trim() === '') continue;
      if (options.maxRecords !== undefined && records >= options.maxRecords) break;
      records++;
      const record: EnrichRecord<JsonLineMeta> = { line: text, meta: { line } };
      const skipped = options.skip?.(record) ?? false;
      options.onRead?.(skipped);
      if (!skipped) yield record;
    }
  } finally {
    reader.close();
  }
}
