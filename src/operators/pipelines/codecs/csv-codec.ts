import type { Codec } from './codec.js';
import { bodyText } from './codec-text.js';
import { csvLine, parseCsv } from './csv-text.js';

/** One CSV field; `null` and `undefined` are written as an empty field. */
export type CsvField = string | number | boolean | bigint | null | undefined;

/** One item of `csvCodec`: a line already in CSV form (no line break), or its fields (quoted as needed). */
export type CsvItem = string | readonly CsvField[];

/** Options of `csvCodec`. */
export interface CsvCodecConfig {
  /** @default 'text/csv' */
  contentType?: string;
  /** @default 'text/csv' */
  accept?: string;
  /** What ends each line of the request. RFC 4180 says CRLF; SageMaker's built-in algorithms take LF. @default '\n' */
  lineTerminator?: '\n' | '\r\n';
  /** Decode each answer line into its fields (`string[]`) instead of returning the line as written. @default false */
  parseFields?: boolean;
}

/**
 * A codec that sends the batch as CSV, one line per item (`text/csv`; array items are quoted
 * per RFC 4180, string items are sent as the line they are), and reads the answer as one CSV
 * line per item: the line as written, or its fields with `parseFields`.
 *
 * @example
 * ```ts
 * import { csvCodec } from 'sagemaker-rx';
 * csvCodec().encode([[1, 'a,b'], '3,4']);
 * // '1,"a,b"\n3,4\n'
 * ```
 */
export function csvCodec(config?: CsvCodecConfig & { parseFields?: false }): Codec<CsvItem, string>;
export function csvCodec(config: CsvCodecConfig & { parseFields: true }): Codec<CsvItem, string[]>;
export function csvCodec(config: CsvCodecConfig = {}): Codec<CsvItem, string | string[]> {
  const { contentType = 'text/csv', accept = 'text/csv', lineTerminator = '\n', parseFields = false } = config;
  if (lineTerminator !== '\n' && lineTerminator !== '\r\n') {
    throw new RangeError(`csvCodec: lineTerminator must be '\\n' or '\\r\\n', got ${JSON.stringify(lineTerminator)}`);
  }
  const frame = { prefix: '', separator: lineTerminator, suffix: lineTerminator };
  return {
    contentType,
    accept,
    frame,
    encodeItem: csvLine,
    encode: (items) => items.map(csvLine).join(lineTerminator) + lineTerminator,
    decode: (output) => parseCsv(bodyText(output)).map((r) => (parseFields ? r.fields : r.line)),
  };
}
