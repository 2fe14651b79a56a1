import type { Codec } from './codec.js';
import { bodyText, stringifyJson } from './codec-text.js';

/** Options of `jsonArrayCodec`. */
export interface JsonArrayCodecConfig {
  /** @default 'application/json' */
  contentType?: string;
  /** @default 'application/json' */
  accept?: string;
  /** Wrap the array in an object under this key, e.g. `instances` for TensorFlow Serving style models. @default none: the body is the array */
  requestKey?: string;
  /** Read the results array from this key of the answer, e.g. `predictions`. @default none: the answer is the array */
  responseKey?: string;
}

/**
 * A codec that sends the batch as one JSON array (`[item, item, …]`, or `{"instances": [...]}`
 * with `requestKey`) and reads the answer as a JSON array with one value per item (or the array
 * under `responseKey`).
 *
 * @example
 * ```ts
 * import { jsonArrayCodec } from 'sagemaker-rx';
 * const codec = jsonArrayCodec({ requestKey: 'instances', responseKey: 'predictions' });
 * codec.encode([{ x: 1 }, { x: 2 }]);
 * // '{"instances":[{"x":1},{"x":2}]}'
 * ```
 */
export function jsonArrayCodec<T = unknown, R = unknown>(config: JsonArrayCodecConfig = {}): Codec<T, R> {
  const { contentType = 'application/json', accept = 'application/json', requestKey, responseKey } = config;
  const frame =
    requestKey === undefined
      ? { prefix: '[', separator: ',', suffix: ']' }
      : { prefix: `{${JSON.stringify(requestKey)}:[`, separator: ',', suffix: ']}' };
  return {
    contentType,
    accept,
    frame,
    encodeItem: (item) => stringifyJson(item),
    encode: (items) => frame.prefix + items.map(stringifyJson).join(frame.separator) + frame.suffix,
    decode(output) {
      const answer: unknown = JSON.parse(bodyText(output));
      const results = responseKey === undefined ? answer : (answer as Record<string, unknown> | null)?.[responseKey];
      if (!Array.isArray(results)) {
        const where = responseKey === undefined ? 'the answer' : `"${responseKey}" of the answer`;
        throw new TypeError(`jsonArrayCodec: expected ${where} to be a JSON array, got ${results === null ? 'null' : typeof results}`);
      }
      return results as R[];
    },
  };
}
