import { from, lastValueFrom, toArray } from 'rxjs';
import type { InvokeErrorEvent, InvokeStreamEvent } from '../../../src/events/invoke-event.js';
import { ModelStreamError } from '../../../src/errors/service-errors.js';
import { isLineEvent, lines } from '../../../src/operators/reframing/lines.js';
import { chunk, done, enc, sent } from './stream-fixtures.js';

/** Runs `parts` as one attempt's chunks through lines(); returns the line texts and the event types. */
async function run(parts: Uint8Array[], terminal: InvokeStreamEvent = done) {
  const events: InvokeStreamEvent[] = [sent, ...parts.map(chunk), terminal];
  const out = await lastValueFrom(from(events).pipe(lines(), toArray()));
  return { texts: out.filter(isLineEvent).map((e) => e.line), types: out.map((e) => e.type), out };
}

function splitAt(bytes: Uint8Array, ...offsets: number[]): Uint8Array[] {
  const cuts = [0, ...offsets, bytes.length];
  return cuts.slice(1).map((end, i) => bytes.subarray(cuts[i], end));
}

// Two-, three- and four-byte characters, a surrogate pair, CRLF, an empty line, no final terminator.
const TEXT = 'héllo wörld\r\n日本語 😀\n\nzwei 🎉 ç\nlast 𝄞 ñ';
const EXPECTED = ['héllo wörld', '日本語 😀', '', 'zwei 🎉 ç', 'last 𝄞 ñ'];
const BYTES = enc.encode(TEXT);

describe('lines()', () => {
  it('gives the same lines for every single split position, including inside each multi-byte character', async () => {
    expect(BYTES.length).toBeGreaterThan(TEXT.length); // the fixture really has multi-byte characters
    for (let i = 0; i <= BYTES.length; i++) {
      const { texts } = await run(splitAt(BYTES, i));
      expect({ i, texts }).toEqual({ i, texts: EXPECTED });
    }
  });

  it('gives the same lines for every pair of split positions', async () => {
    for (let i = 1; i < BYTES.length; i++) {
      for (let j = i + 1; j < BYTES.length; j++) {
        const { texts } = await run(splitAt(BYTES, i, j));
        if (texts.join('|') !== EXPECTED.join('|')) throw new Error(`split at ${i},${j}: ${JSON.stringify(texts)}`);
      }
    }
  });

  it('gives the same lines when every byte is its own chunk', async () => {
    const { texts } = await run(Array.from(BYTES, (b) => Uint8Array.of(b)));
    expect(texts).toEqual(EXPECTED);
  });

  it('emits several lines from one chunk, and the final unterminated line before the response', async () => {
    const { types, out } = await run([enc.encode('a\nb\nc')]);
    expect(types).toEqual(['sent', 'line', 'line', 'line', 'response']);
    expect(out.filter(isLineEvent).map((e) => [e.index, e.line])).toEqual([
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
    ]);
  });

  it('emits no extra empty line when the text ends with a terminator', async () => {
    expect((await run([enc.encode('a\r\n')])).texts).toEqual(['a']);
  });

  it('emits nothing for an empty stream', async () => {
    expect((await run([])).types).toEqual(['sent', 'response']);
  });

  it('drops the unterminated tail when the stream ends with an error, and keeps the error event', async () => {
    const error: InvokeErrorEvent = { type: 'error', attempt: 1, timestamp: 0, error: new ModelStreamError({ message: 'cut', ErrorCode: 'StreamBroken' }) };
    const { texts, types, out } = await run([enc.encode('whole\nhal')], error);
    expect(texts).toEqual(['whole']);
    expect(types).toEqual(['sent', 'line', 'error']);
    expect(out[2]).toBe(error);
  });
});
