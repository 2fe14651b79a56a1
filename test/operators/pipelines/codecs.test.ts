import type { Codec } from '../../../src/operators/pipelines/codecs/codec.js';
import { csvCodec } from '../../../src/operators/pipelines/codecs/csv-codec.js';
import { parseCsv } from '../../../src/operators/pipelines/codecs/csv-text.js';
import { jsonArrayCodec } from '../../../src/operators/pipelines/codecs/json-array-codec.js';
import { jsonLinesCodec } from '../../../src/operators/pipelines/codecs/json-lines-codec.js';
import { resolveCodec } from '../../../src/operators/pipelines/codecs/resolve-codec.js';
import { joinPieces } from '../../../src/operators/pipelines/pack-batches.js';
import type { InvokeEndpointOutput } from '../../../src/model/shapes.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const text = (body: Uint8Array | string) => (typeof body === 'string' ? body : decoder.decode(body));
const output = (body: string): InvokeEndpointOutput => ({ Body: encoder.encode(body), $metadata: { httpStatusCode: 200 } });

/** The body batchInvocations builds from encodeItem pieces and the frame. */
function framed<T>(codec: Codec<T>, items: T[]): string {
  return decoder.decode(joinPieces(items.map((i) => encoder.encode(text(codec.encodeItem!(i)))), codec.frame));
}

describe('jsonArrayCodec', () => {
  const codec = jsonArrayCodec<unknown>();

  it('sends a JSON array and reads one value per item from a JSON array', () => {
    expect(codec.contentType).toBe('application/json');
    expect(codec.accept).toBe('application/json');
    expect(text(codec.encode([{ a: 1 }, 'x', 2]))).toBe('[{"a":1},"x",2]');
    expect(codec.decode(output('[{"label":"POSITIVE"},0.5]'), [1, 2])).toEqual([{ label: 'POSITIVE' }, 0.5]);
  });

  it('builds the same body from its pieces as encode does', () => {
    const items = [{ a: 1 }, 'é', [1, 2], null];
    expect(framed(codec, items)).toBe(text(codec.encode(items)));
  });

  it('wraps and unwraps under requestKey and responseKey', () => {
    const tf = jsonArrayCodec<number[]>({ requestKey: 'instances', responseKey: 'predictions' });
    expect(text(tf.encode([[1], [2]]))).toBe('{"instances":[[1],[2]]}');
    expect(framed(tf, [[1], [2]])).toBe('{"instances":[[1],[2]]}');
    expect(tf.decode(output('{"predictions":[0.1,0.9]}'), [[1], [2]])).toEqual([0.1, 0.9]);
  });

  it('throws when the answer is not an array, naming what it got', () => {
    expect(() => codec.decode(output('{"x":1}'), [1])).toThrow('jsonArrayCodec: expected the answer to be a JSON array, got object');
    expect(() => jsonArrayCodec({ responseKey: 'predictions' }).decode(output('{}'), [1])).toThrow(
      'jsonArrayCodec: expected "predictions" of the answer to be a JSON array, got undefined',
    );
  });

  it('refuses an item with no JSON form', () => {
    expect(() => codec.encodeItem!(undefined)).toThrow('the item has no JSON form (undefined)');
    expect(() => codec.encodeItem!(() => 1)).toThrow(/no JSON form \(function\)/);
  });
});

describe('jsonLinesCodec', () => {
  const codec = jsonLinesCodec<unknown>();

  it('sends one JSON value per line, each line ending in a newline', () => {
    expect(codec.contentType).toBe('application/jsonlines');
    expect(text(codec.encode([{ id: 1 }, 'a\nb']))).toBe('{"id":1}\n"a\\nb"\n');
    expect(framed(codec, [{ id: 1 }, 'a\nb'])).toBe('{"id":1}\n"a\\nb"\n');
  });

  it('reads one value per line, accepting CRLF and skipping blank lines', () => {
    expect(codec.decode(output('{"a":1}\r\n\n[2]\n"x"'), [1, 2, 3])).toEqual([{ a: 1 }, [2], 'x']);
  });

  it('throws on a line that is not JSON', () => {
    expect(() => codec.decode(output('{"a":1}\nnope\n'), [1, 2])).toThrow(SyntaxError);
  });
});

describe('csvCodec', () => {
  const codec = csvCodec();

  it('sends one line per item, quoting fields per RFC 4180', () => {
    expect(codec.contentType).toBe('text/csv');
    const items = [[1, 'a,b', 'say "hi"', null, true], '3,4', ['line\nbreak', undefined]] as const;
    const expected = '1,"a,b","say ""hi""",,true\n3,4\n"line\nbreak",\n';
    expect(text(codec.encode([...items]))).toBe(expected);
    expect(framed(codec, [...items])).toBe(expected);
  });

  it('ends lines with CRLF when asked', () => {
    expect(text(csvCodec({ lineTerminator: '\r\n' }).encode(['a', 'b']))).toBe('a\r\nb\r\n');
  });

  it('refuses a string item holding a line break', () => {
    expect(() => codec.encodeItem!('a\nb')).toThrow(/must not hold a line break/);
  });

  it('reads one line per item, as written or as fields', () => {
    const answer = output('0.9,POSITIVE\r\n"multi\nline, quoted",x\n0.1,NEGATIVE\n');
    expect(codec.decode(answer, ['a', 'b', 'c'])).toEqual(['0.9,POSITIVE', '"multi\nline, quoted",x', '0.1,NEGATIVE']);
    expect(csvCodec({ parseFields: true }).decode(answer, ['a', 'b', 'c'])).toEqual([
      ['0.9', 'POSITIVE'],
      ['multi\nline, quoted', 'x'],
      ['0.1', 'NEGATIVE'],
    ]);
  });

  it('keeps empty lines in the middle (an empty answer is an answer) but not after the last terminator', () => {
    expect(parseCsv('a\n\nb\n').map((r) => r.line)).toEqual(['a', '', 'b']);
    expect(parseCsv('a').map((r) => r.line)).toEqual(['a']);
    expect(parseCsv('')).toEqual([]);
  });

  it('reads doubled quotes, and a quote inside an unquoted field as a character', () => {
    expect(parseCsv('"a""b",c"d\n')[0]?.fields).toEqual(['a"b', 'c"d']);
  });

  it('throws on an answer that ends inside a quoted field', () => {
    expect(() => parseCsv('"open\n')).toThrow('csvCodec: the answer ends inside a quoted field');
  });
});

describe('resolveCodec', () => {
  it('maps the built-in names to their codecs', () => {
    expect(resolveCodec('json').contentType).toBe('application/json');
    expect(resolveCodec('jsonl').contentType).toBe('application/jsonlines');
    expect(resolveCodec('csv').contentType).toBe('text/csv');
  });

  it('passes a codec object through and rejects anything else', () => {
    const custom: Codec<string, string> = { contentType: 'text/plain', encode: (i) => i.join('|'), decode: () => [] };
    expect(resolveCodec(custom)).toBe(custom);
    expect(() => resolveCodec('toString' as never)).toThrow(/unknown codec "toString"/);
    expect(() => resolveCodec({ contentType: 'x' } as never)).toThrow(/needs contentType, encode/);
  });
});
