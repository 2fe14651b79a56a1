import { from, lastValueFrom, toArray } from 'rxjs';
import type { InvokeStreamEvent } from '../../../src/events/invoke-event.js';
import { isSseEvent, serverSentEvents, type InvokeSseEvent, type ServerSentEventsConfig } from '../../../src/operators/reframing/server-sent-events.js';
import { chunk, done, enc, sent } from './stream-fixtures.js';

type Fields = Omit<InvokeSseEvent, 'type' | 'attempt' | 'timestamp' | 'index'>;

async function run(parts: Array<string | Uint8Array>, config?: ServerSentEventsConfig) {
  const events: InvokeStreamEvent[] = [sent, ...parts.map((p, i) => chunk(typeof p === 'string' ? enc.encode(p) : p, i)), done];
  const out = await lastValueFrom(from(events).pipe(serverSentEvents(config), toArray()));
  const sse = out.filter(isSseEvent);
  const fields: Fields[] = sse.map(({ type: _t, attempt: _a, timestamp: _ts, index: _i, ...rest }) => rest);
  return { fields, sse, types: out.map((e) => e.type) };
}

function splitAt(bytes: Uint8Array, ...offsets: number[]): Uint8Array[] {
  const cuts = [0, ...offsets, bytes.length];
  return cuts.slice(1).map((end, i) => bytes.subarray(cuts[i], end));
}

describe('serverSentEvents() — the WHATWG examples', () => {
  it('joins several data lines with \\n', async () => {
    expect((await run(['data: YHOO\ndata: +2\ndata: 10\n\n'])).fields).toEqual([{ data: 'YHOO\n+2\n10' }]);
  });

  it('ignores comments, keeps the last event id across events, resets it with an empty id, strips one space only', async () => {
    const { fields } = await run([': test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n']);
    expect(fields).toEqual([{ data: 'first event', id: '1' }, { data: 'second event' }, { data: ' third event' }]);
  });

  it('dispatches empty data, joins bare data fields, and discards the event left open at the end', async () => {
    const { fields } = await run(['data\n\ndata\ndata\n\ndata:']);
    expect(fields).toEqual([{ data: '' }, { data: '\n' }]);
  });

  it('treats "data:test" and "data: test" the same', async () => {
    expect((await run(['data:test\n\ndata: test\n\n'])).fields).toEqual([{ data: 'test' }, { data: 'test' }]);
  });
});

describe('serverSentEvents()', () => {
  it('reads event, id and retry fields, resets the event type after dispatch, ignores unknown fields', async () => {
    const { fields, sse } = await run(['event: token\nid: 7\nretry: 1500\nfoo: bar\ndata: a\n\ndata: b\n\nretry: 1x\ndata: c\n\n']);
    expect(fields).toEqual([{ event: 'token', id: '7', retry: 1500, data: 'a' }, { id: '7', data: 'b' }, { id: '7', data: 'c' }]);
    expect(sse.map((e) => e.index)).toEqual([0, 1, 2]);
  });

  it('ignores an id containing NUL and does not dispatch an event without data', async () => {
    const { fields } = await run(['id: 1\n\nid: a\0b\nevent: x\n\ndata: d\n\n']);
    expect(fields).toEqual([{ id: '1', data: 'd' }]);
  });

  it('accepts \\r\\n and a lone \\r as line terminators, and drops a leading BOM', async () => {
    const { fields } = await run(['\ufeffdata: one\r\n\r\ndata: two\r\rdata: three\n\n']);
    expect(fields).toEqual([{ data: 'one' }, { data: 'two' }, { data: 'three' }]);
  });

  it('dispatches the event left open at the end when asked to', async () => {
    expect((await run(['data: a\n\ndata: tail'], { dispatchIncompleteAtEnd: true })).fields).toEqual([{ data: 'a' }, { data: 'tail' }]);
    expect((await run(['data: a\n\ndata: tail'])).fields).toEqual([{ data: 'a' }]);
  });

  it('gives the same events for every split position, including inside multi-byte characters and between \\r and \\n', async () => {
    const text = 'event: tok\r\ndata: {"token":{"text":"Grü"}}\r\n\r\ndata: 😀 日本\rdata: ç\r\r: note\ndata: 𝄞\n\n';
    const expected = [{ event: 'tok', data: '{"token":{"text":"Grü"}}' }, { data: '😀 日本\nç' }, { data: '𝄞' }];
    const bytes = enc.encode(text);
    for (let i = 0; i <= bytes.length; i++) {
      const { fields } = await run(splitAt(bytes, i));
      expect({ i, fields }).toEqual({ i, fields: expected });
    }
    for (let i = 1; i < bytes.length; i += 3) {
      for (let j = i + 1; j < bytes.length; j++) {
        const { fields } = await run(splitAt(bytes, i, j));
        if (JSON.stringify(fields) !== JSON.stringify(expected)) throw new Error(`split at ${i},${j}: ${JSON.stringify(fields)}`);
      }
    }
  });

  it('rejects a non-boolean option when the operator is created', () => {
    expect(() => serverSentEvents({ dispatchIncompleteAtEnd: 'yes' as unknown as boolean })).toThrow(TypeError);
  });
});
