import type { Codec } from './codec.js';
import { bodyText, stringifyJson } from './codec-text.js';

/** Options of `jsonLinesCodec`. */
export interface JsonLinesCodecConfig {
  /** @default 'application/jsonlines' */
  contentType?: string;
  /** @default 'application/jsonlines' */
  accept?: string;
}

/**
 * A codec that sends the batch as JSON Lines (one JSON value per line, each line ending in `\n`)
 * and reads the answer as JSON Lines, one line per item (`\r\n` accepted, blank lines skipped).
 *
 * @example
 * ```ts
 * import { jsonLinesCodec } from 'sagemaker-rx';
 * jsonLinesCodec().encode([{ id: 1 }, { id: 2 }]);
 * // '{"id":1}\n{"id":2}\n'
 * ```
 */
export function jsonLinesCodec<T = unknown, R = unknown>(config: JsonLinesCodecConfig = {}): Codec<T, R> {
  const { contentType = 'application/jsonlines', accept = 'application/jsonlines' } = config;
  const frame = { prefix: '', separator: '\n', suffix: '\n' };
  return {
    contentType,
    accept,
    frame,
    encodeItem: (item) => stringifyJson(item),
    encode: (items) => items.map(stringifyJson).join('\n') + '\n',
    decode: (output) =>
      bodyText(output)
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as R),
  };
}
