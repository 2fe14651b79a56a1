import { from, lastValueFrom, toArray } from 'rxjs';
import type { InvokeErrorEvent, InvokeStreamEvent } from '../../../src/events/invoke-event.js';
import { isTextEvent, textDeltas, type TextDeltasConfig } from '../../../src/operators/reframing/text-deltas.js';
import { StreamParseError } from '../../../src/operators/reframing/reframe-error.js';
import { chunk, done, enc, sent } from './stream-fixtures.js';

async function run(parts: Array<string | Uint8Array>, config?: TextDeltasConfig) {
  const events: InvokeStreamEvent[] = [sent, ...parts.map((p, i) => chunk(typeof p === 'string' ? enc.encode(p) : p, i)), done];
  const out = await lastValueFrom(from(events).pipe(textDeltas(config), toArray()));
  return { texts: out.filter(isTextEvent).map((e) => e.text), types: out.map((e) => e.type), out };
}

function splitAt(bytes: Uint8Array, ...offsets: number[]): Uint8Array[] {
  const cuts = [0, ...offsets, bytes.length];
  return cuts.slice(1).map((end, i) => bytes.subarray(cuts[i], end));
}

const tgi = (text: string, special = false, generated: string | null = null) =>
  `data:${JSON.stringify({ token: { id: 1, text, logprob: -0.5, special }, generated_text: generated, details: null })}\n\n`;

// Hugging Face TGI: tokens, then the end-of-sequence special token carrying the whole text.
const TGI_STREAM = tgi('Grü') + tgi('ße') + tgi(' 😀') + tgi('</s>', true, 'Grüße 😀');

describe('textDeltas()', () => {
  it('reads TGI SSE tokens, skipping the special end token and not repeating generated_text', async () => {
    const { texts, types } = await run([TGI_STREAM]);
    expect(texts).toEqual(['Grü', 'ße', ' 😀']);
    expect(types).toEqual(['sent', 'text', 'text', 'text', 'response']);
  });

  it('keeps special tokens when skipSpecialTokens is false', async () => {
    expect((await run([TGI_STREAM], { skipSpecialTokens: false })).texts).toEqual(['Grü', 'ße', ' 😀', '</s>']);
  });

  it('reassembles the same text for every split position of a TGI stream', async () => {
    const bytes = enc.encode(TGI_STREAM);
    for (let i = 0; i <= bytes.length; i++) {
      const { texts } = await run(splitAt(bytes, i));
      expect({ i, text: texts.join('') }).toEqual({ i, text: 'Grüße 😀' });
    }
  });

  it('reads OpenAI-compatible chat deltas, ignoring the role delta and [DONE]', async () => {
    const lines = [
      { choices: [{ index: 0, delta: { role: 'assistant' } }] },
      { choices: [{ index: 0, delta: { content: 'Hel' } }] },
      { choices: [{ index: 0, delta: { content: 'lo' } }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
    ];
    const stream = `${lines.map((l) => `data: ${JSON.stringify(l)}\n\n`).join('')}data: [DONE]\n\n`;
    expect((await run([stream])).texts).toEqual(['Hel', 'lo']);
  });

  it('reads plain JSON lines, detected by their first character', async () => {
    const stream = '{"generated_text":"a"}\n\n{"generated_text":"b"}\n{"generated_text":"c"}';
    expect((await run([stream])).texts).toEqual(['a', 'b', 'c']);
  });

  it('follows a configured path, with numeric segments indexing arrays', async () => {
    const stream = '{"outputs":[{"text":"x"}]}\n{"outputs":[{"text":"y"}],"text":"ignored"}\n';
    expect((await run([stream], { path: 'outputs.0.text' })).texts).toEqual(['x', 'y']);
  });

  it('takes the first of several paths that holds a string', async () => {
    const stream = '{"b":"from b"}\n{"a":"from a","b":"not this"}\n{"c":1}\n';
    expect((await run([stream], { path: ['a', 'b'] })).texts).toEqual(['from b', 'from a']);
  });

  it('reads a JSON string record as the text itself', async () => {
    expect((await run(['"one"\n"two"\n'], { format: 'json-lines' })).texts).toEqual(['one', 'two']);
  });

  it('reads the last SSE event even without its final blank line', async () => {
    expect((await run(['data: {"token":{"text":"a"}}\n\ndata: {"token":{"text":"b"}}'])).texts).toEqual(['a', 'b']);
  });

  it('joins multi-line SSE data before parsing it', async () => {
    expect((await run(['data: {"token":\ndata: {"text":"multi"}}\n\n'], { format: 'sse' })).texts).toEqual(['multi']);
  });

  it('ends the invocation with a StreamParseError naming the line when a record is not JSON', async () => {
    const { texts, types, out } = await run(['{"text":"ok"}\n{"text":\n{"text":"never"}\n']);
    expect(texts).toEqual(['ok']);
    expect(types).toEqual(['sent', 'text', 'error']);
    const { error } = out[2] as InvokeErrorEvent;
    expect(error).toBeInstanceOf(StreamParseError);
    expect(error).toMatchObject({ line: 2, format: 'json-lines' });
  });

  it('names the SSE line that ended a malformed event', async () => {
    const { out, types } = await run([': keep-alive\n\ndata: {"token":{"text":"a"}}\n\ndata: nope\n\n']);
    expect(types).toEqual(['sent', 'text', 'error']);
    expect((out[2] as InvokeErrorEvent).error).toMatchObject({ line: 6, format: 'sse', text: 'nope' });
  });

  it('rejects bad options when the operator is created', () => {
    expect(() => textDeltas({ path: '' })).toThrow(TypeError);
    expect(() => textDeltas({ path: 'a..b' })).toThrow(/dot-separated/);
    expect(() => textDeltas({ path: [] })).toThrow(/at least one/);
    expect(() => textDeltas({ format: 'xml' as 'sse' })).toThrow(/format/);
    expect(() => textDeltas({ skipSpecialTokens: 1 as unknown as boolean })).toThrow(TypeError);
  });
});
