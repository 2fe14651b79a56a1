import type { Codec, CodecName } from './codec.js';
import { csvCodec } from './csv-codec.js';
import { jsonArrayCodec } from './json-array-codec.js';
import { jsonLinesCodec } from './json-lines-codec.js';

/** The built-in codec behind each name, with default options. */
export const BUILT_IN_CODECS: Readonly<Record<CodecName, () => Codec<never, unknown>>> = {
  json: () => jsonArrayCodec(),
  jsonl: () => jsonLinesCodec(),
  csv: () => csvCodec() as Codec<never, unknown>,
};

/** A codec from its name (`json`, `jsonl`, `csv`) or as given; throws a `TypeError` for anything else. */
export function resolveCodec<T, R>(codec: Codec<T, R> | CodecName): Codec<T, R> {
  if (typeof codec === 'string') {
    const make = Object.hasOwn(BUILT_IN_CODECS, codec) ? BUILT_IN_CODECS[codec] : undefined;
    if (!make) throw new TypeError(`unknown codec ${JSON.stringify(codec)}: use 'json', 'jsonl', 'csv' or a Codec object`);
    return make() as unknown as Codec<T, R>;
  }
  if (typeof codec?.encode !== 'function' || typeof codec.decode !== 'function' || typeof codec.contentType !== 'string') {
    throw new TypeError('a codec needs contentType, encode(items) and decode(output, items)');
  }
  return codec;
}
