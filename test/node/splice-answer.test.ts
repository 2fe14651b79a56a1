import fc from 'fast-check';
import { parseFieldPath } from '../../src/node/field-path';
import { rawValueAt, scanObject } from '../../src/node/json-text';
import { spliceAnswer } from '../../src/node/splice-answer';

const splice = (line: string, as: string, answer: string) => spliceAnswer(line, JSON.parse(line), parseFieldPath(as, 'as'), answer);

describe('spliceAnswer', () => {
  it('adds the answer before the closing brace and keeps every other byte', () => {
    const line = '{"id":12345678901234567891,"price":1.10,"big":1e400,"text":"gr\\u00e9at \\"x\\"","nested":{"x":-0}}';
    expect(splice(line, 'prediction', '{"label":"POSITIVE"}')).toBe(`${line.slice(0, -1)},"prediction":{"label":"POSITIVE"}}`);
  });

  it('adds to an empty object without a leading comma, whitespace kept', () => {
    expect(splice('{ }', 'p', '1')).toBe('{ "p":1}');
    expect(splice(' {} ', 'p', '1')).toBe(' {"p":1} ');
  });

  it('replaces the value a parser reads when the member exists (the last duplicate)', () => {
    expect(splice('{"p":1,"a":2,"p":3}', 'p', '"x"')).toBe('{"p":1,"a":2,"p":"x"}');
  });

  it('nests under an existing object and creates missing steps', () => {
    expect(splice('{"ml":{"v":1.0}, "t":"a"}', 'ml.sentiment', '"POS"')).toBe('{"ml":{"v":1.0,"sentiment":"POS"}, "t":"a"}');
    expect(splice('{"t":"a"}', 'ml.sentiment.label', '"POS"')).toBe('{"t":"a","ml":{"sentiment":{"label":"POS"}}}');
    expect(splice('{"ml":{}}', 'ml.s', '2')).toBe('{"ml":{"s":2}}');
  });

  it('wraps a record that is not an object, keeping its text', () => {
    expect(splice('[1.10, 2]', 'p', 'true')).toBe('{"input":[1.10, 2],"p":true}');
    expect(splice('"text"', 'a.b', '1')).toBe('{"input":"text","a":{"b":1}}');
  });

  it('handles keys with escaped quotes and braces inside strings', () => {
    const line = '{"a\\"}":"}{\\\\","n":{"k":"]"}}';
    expect(splice(line, 'n.z', '0')).toBe('{"a\\"}":"}{\\\\","n":{"k":"]","z":0}}');
  });

  it('reads the raw text of a nested value (for keys)', () => {
    const line = '{"id":12345678901234567891,"m":{"k":1e400},"s":"x"}';
    expect(rawValueAt(line, ['id'])).toBe('12345678901234567891');
    expect(rawValueAt(line, ['m', 'k'])).toBe('1e400');
    expect(rawValueAt(line, ['m', 'zz'])).toBeUndefined();
    expect(rawValueAt(line, ['s', 'x'])).toBeUndefined();
  });

  it('gives the same parsed result as parse/assign for any record (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string({ minLength: 1 }), fc.jsonValue(), (record, key, answer) => {
        const line = JSON.stringify(record);
        const out = spliceAnswer(line, JSON.parse(line), [key], JSON.stringify(answer));
        expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify({ ...record, [key]: answer })));
        if (!Object.hasOwn(record, key)) expect(out.startsWith(line.slice(0, -1))).toBe(true);
        expect(scanObject(out, 0).members.length).toBe(Object.keys(JSON.parse(out)).length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseFieldPath', () => {
  it('splits on dots, keeps escaped dots, and refuses empty steps', () => {
    expect(parseFieldPath('a.b\\.c', 'field')).toEqual(['a', 'b.c']);
    expect(() => parseFieldPath('a..b', 'field')).toThrow(/empty step/);
    expect(() => parseFieldPath('', 'field')).toThrow(TypeError);
  });
});
