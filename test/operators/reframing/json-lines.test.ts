import { from, lastValueFrom, toArray } from 'rxjs';
import type { InvokeErrorEvent, InvokeStreamEvent } from '../../../src/events/invoke-event.js';
import { isRecordEvent, jsonLines } from '../../../src/operators/reframing/json-lines.js';
import { StreamParseError } from '../../../src/operators/reframing/reframe-error.js';
import { chunk, done, enc, sent } from './stream-fixtures.js';

async function run<T>(parts: Uint8Array[]) {
  const events: InvokeStreamEvent[] = [sent, ...parts.map(chunk), done];
  const out = await lastValueFrom(from(events).pipe(jsonLines<T>(), toArray()));
  return { values: out.filter((e) => isRecordEvent<T>(e)).map((e) => (e as { value: T }).value), types: out.map((e) => e.type), out };
}

function splitAt(bytes: Uint8Array, ...offsets: number[]): Uint8Array[] {
  const cuts = [0, ...offsets, bytes.length];
  return cuts.slice(1).map((end, i) => bytes.subarray(cuts[i], end));
}

const RECORDS = [{ token: { text: 'Grüße' } }, { token: { text: ' 😀\n' } }, { n: 3, s: '日本' }, [1, 'ü']];
const TEXT = `${RECORDS.map((r) => JSON.stringify(r)).join('\n')}`; // no final newline
const BYTES = enc.encode(TEXT);

describe('jsonLines()', () => {
  it('parses the same records for every split position, including inside multi-byte characters', async () => {
    for (let i = 0; i <= BYTES.length; i++) {
      const { values, types } = await run(splitAt(BYTES, i));
      expect({ i, values }).toEqual({ i, values: RECORDS });
      expect(types.at(-1)).toBe('response');
    }
  });

  it('parses the same records for every pair of split positions', async () => {
    for (let i = 1; i < BYTES.length; i += 2) {
      for (let j = i + 1; j < BYTES.length; j++) {
        const { values } = await run(splitAt(BYTES, i, j));
        if (JSON.stringify(values) !== JSON.stringify(RECORDS)) throw new Error(`split at ${i},${j}: ${JSON.stringify(values)}`);
      }
    }
  });

  it('skips blank lines but counts them in line numbers, and numbers records from 0', async () => {
    const { out } = await run([enc.encode('{"a":1}\n\n   \r\n{"b":2}\r\n')]);
    expect(out.filter(isRecordEvent).map(({ value, index, line }) => ({ value, index, line }))).toEqual([
      { value: { a: 1 }, index: 0, line: 1 },
      { value: { b: 2 }, index: 1, line: 4 },
    ]);
  });

  it('reports malformed JSON as an error event naming the line, after the good records, and stops', async () => {
    const { values, types, out } = await run([enc.encode('{"ok":1}\n\n{"ok":'), enc.encode('2,}\n{"ok":3}\n')]);
    expect(values).toEqual([{ ok: 1 }]);
    expect(types).toEqual(['sent', 'record', 'error']);
    const { error } = out[2] as InvokeErrorEvent;
    expect(error).toBeInstanceOf(StreamParseError);
    expect(error).toMatchObject({ name: 'StreamParseError', line: 3, format: 'json-lines', text: '{"ok":2,}', retryable: false });
    expect(error.message).toMatch(/^malformed JSON on line 3 of the response stream: .+\("\{\\"ok\\":2,\}"\)$/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('reports a malformed unterminated last line at the end, instead of the response', async () => {
    const { types, out } = await run([enc.encode('{"ok":1}\n{"cut')]);
    expect(types).toEqual(['sent', 'record', 'error']);
    expect((out[2] as InvokeErrorEvent).error).toMatchObject({ line: 2 });
  });

  it('cuts a very long offending line to 200 characters in the error', async () => {
    const { out } = await run([enc.encode(`x${'y'.repeat(500)}\n`)]);
    const error = (out[1] as InvokeErrorEvent).error as StreamParseError;
    expect(error.text).toHaveLength(201);
    expect(error.text.endsWith('…')).toBe(true);
  });
});
