/** RFC 4180 helpers of `csvCodec`. Internal. */
import type { CsvField, CsvItem } from './csv-codec.js';

/** The characters that make a field need quotes (RFC 4180 §2.6). */
const NEEDS_QUOTES = /[",\r\n]/;
const LINE_BREAK = /[\r\n]/;

/** One field per RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(value: CsvField): string {
  const text = value === null || value === undefined ? '' : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (without terminator) for an item. Throws for a string item that holds a line break. */
export function csvLine(item: CsvItem): string {
  if (typeof item === 'string') {
    if (LINE_BREAK.test(item)) {
      throw new TypeError('csvCodec: a string item is one CSV line and must not hold a line break; pass its fields as an array to have them quoted');
    }
    return item;
  }
  if (!Array.isArray(item)) throw new TypeError(`csvCodec: an item must be a string or an array of fields, got ${typeof item}`);
  return item.map(csvField).join(',');
}

/** A record of a CSV text: the line as written and its unquoted fields. */
export interface CsvRecord {
  line: string;
  fields: string[];
}

/**
 * Splits CSV text into records per RFC 4180: a field that starts with a quote is quoted and may
 * hold commas, doubled quotes and line breaks; records end at LF or CRLF outside quotes; the empty
 * record after a final line terminator is not a record. A quote inside an unquoted field is kept
 * as a character. Throws on an unterminated quote.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let start = 0;
  let inQuotes = false;
  let atFieldStart = true;
  let i = 0;
  const endRecord = (end: number) => {
    fields.push(field);
    records.push({ line: text.slice(start, end), fields });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') inQuotes = false;
      else field += c;
      i += 1;
      continue;
    }
    if (c === '"' && atFieldStart) inQuotes = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
      atFieldStart = true;
      i += 1;
      continue;
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      endRecord(i);
      i += c === '\r' ? 2 : 1;
      start = i;
      atFieldStart = true;
      continue;
    } else field += c;
    atFieldStart = false;
    i += 1;
  }
  if (inQuotes) throw new TypeError('csvCodec: the answer ends inside a quoted field');
  if (start < text.length) endRecord(text.length);
  return records;
}
