import { cold, Scheduler } from 'jest-marbles';
import { from, lastValueFrom, map, Observable, toArray } from 'rxjs';
import type { InvokeErrorEvent, InvokeStreamEvent } from '../../../src/events/invoke-event.js';
import { chunkEvent, errorEvent, headersEvent, sentEvent, streamResponseEvent } from '../../../src/testing/event-builders.js';
import { InternalStreamFailure, ModelStreamError } from '../../../src/errors/service-errors.js';
import type { SageMakerRuntimeError } from '../../../src/errors/sagemaker-runtime-error.js';
import { lines } from '../../../src/operators/reframing/lines.js';
import { jsonLines } from '../../../src/operators/reframing/json-lines.js';
import { LineSplitter, reframeChunks } from '../../../src/operators/reframing/reframe.js';
import { isStreamParseError, StreamParseError } from '../../../src/operators/reframing/reframe-error.js';

const enc = new TextEncoder();
const sent = (attempt = 1, timestamp = 0) => sentEvent(attempt, timestamp, 'http://127.0.0.1/endpoints/e/invocations-response-stream');
const headers = (attempt = 1) => headersEvent({}, attempt);
const chunk = (text: string | Uint8Array, index = 0, attempt = 1, timestamp = 0) => chunkEvent(text, index, attempt, timestamp);
const done = (attempt = 1, timestamp = 0) => streamResponseEvent({ $metadata: { httpStatusCode: 200 } }, attempt, timestamp);
const failed = (error: SageMakerRuntimeError = new InternalStreamFailure({ message: 'broke' }), attempt = 1) => errorEvent(error, attempt);

/** A readable projection of an event, for marble comparisons. */
function brief(event: { type: string }): string {
  const e = event as { type: string } & Record<string, unknown>;
  switch (e.type) {
    case 'line':
      return `line ${String(e['index'])}: ${String(e['line'])}`;
    case 'record':
      return `record ${String(e['line'])}: ${JSON.stringify(e['value'])}`;
    case 'error': {
      const err = e['error'] as Error & { line?: number };
      return `error ${err.name}${err.line === undefined ? '' : ` line ${err.line}`}`;
    }
    default:
      return `${e.type} #${String(e['attempt'])}`;
  }
}

describe('reframing (shared behaviour, shown with lines() and jsonLines())', () => {
  it('replaces chunk events and passes sent, headers and response through in order (marbles)', () => {
    const source = cold<InvokeStreamEvent>('-s-h-a-b-r---|', { s: sent(), h: headers(), a: chunk('one\ntw'), b: chunk('o\nthree'), r: done() });
    const expected = cold('-s-h-a-b-(tr)|', {
      s: 'sent #1',
      h: 'headers #1',
      a: 'line 0: one',
      b: 'line 1: two',
      t: 'line 2: three',
      r: 'response #1',
    });
    expect(source.pipe(lines(), map(brief))).toBeObservable(expected);
    expect(source).toHaveSubscriptions('^------------!');
  });

  it('passes other events through as the same objects', async () => {
    const events = [sent(), headers(), { type: 'queued', attempt: 1, timestamp: 0, position: 3 } as const, done()];
    const out = await lastValueFrom(from(events).pipe(lines(), toArray()));
    expect(out).toHaveLength(4);
    out.forEach((e, i) => expect(e).toBe(events[i]));
  });

  it('ends the invocation at a malformed record: error event, complete, upstream unsubscribed (the request is aborted)', () => {
    const source = cold<InvokeStreamEvent>('-s-a-b-c-r|', {
      s: sent(),
      a: chunk('{"n":1}\n{"n"'),
      b: chunk(':2}\n{bad}\n{"n":3}\n'),
      c: chunk('{"n":4}\n'),
      r: done(),
    });
    const expected = cold('-s-a-(be|)', { s: 'sent #1', a: 'record 1: {"n":1}', b: 'record 2: {"n":2}', e: 'error StreamParseError line 3' });
    expect(source.pipe(jsonLines(), map(brief))).toBeObservable(expected);
    expect(source).toHaveSubscriptions('^----!');
  });

  it('emits nothing after the parse error even when the upstream goes on', async () => {
    const source = new Observable<InvokeStreamEvent>((s) => {
      s.next(sent());
      s.next(chunk('nope\n'));
      s.next(chunk('{"late":true}\n'));
      s.next(done());
      s.complete();
    });
    const out = await lastValueFrom(source.pipe(jsonLines(), toArray()));
    expect(out.map((e) => e.type)).toEqual(['sent', 'error']);
    const error = (out[1] as InvokeErrorEvent).error;
    expect(isStreamParseError(error)).toBe(true);
    expect(error).toBeInstanceOf(StreamParseError);
    expect(error).toMatchObject({ line: 1, format: 'json-lines', text: 'nope', retryable: false, throttling: false });
    expect(out[1]).toMatchObject({ attempt: 1 });
  });

  it('starts afresh on each attempt: a partial line of a failed attempt is never glued to the next', () => {
    const source = cold<InvokeStreamEvent>('-s-a-e-t-S-b-r|', {
      s: sent(1),
      a: chunk('partial wi', 0, 1),
      e: failed(new ModelStreamError({ message: 'x', ErrorCode: 'StreamBroken' }), 1),
      t: { type: 'retry', attempt: 1, timestamp: 0, delayMs: 10, error: new InternalStreamFailure({ message: 'x' }) },
      S: sent(2),
      b: chunk('fresh\n', 0, 2),
      r: done(2),
    });
    const expected = cold('-s---e-t-S-b-r|', {
      s: 'sent #1',
      e: 'error ModelStreamError',
      t: 'retry #1',
      S: 'sent #2',
      b: 'line 0: fresh',
      r: 'response #2',
    });
    expect(source.pipe(lines(), map(brief))).toBeObservable(expected);
  });

  it('drops a buffered partial line when a new attempt starts without an error event in between', async () => {
    const out = await lastValueFrom(from([sent(1), chunk('stale', 0, 1), sent(2), chunk('new\n', 0, 2), done(2)]).pipe(lines(), toArray()));
    expect(out.filter((e) => e.type === 'line')).toEqual([{ type: 'line', attempt: 2, timestamp: 0, line: 'new', index: 0 }]);
  });

  it('stamps lines with the attempt and timestamp of the chunk that completed them, the last with the response', async () => {
    const out = await lastValueFrom(from([sent(1, 100), chunk('a', 0, 1, 110), chunk('b\nc', 1, 1, 120), done(1, 130)]).pipe(lines(), toArray()));
    expect(out.filter((e) => e.type === 'line')).toEqual([
      { type: 'line', attempt: 1, timestamp: 120, line: 'ab', index: 0 },
      { type: 'line', attempt: 1, timestamp: 130, line: 'c', index: 1 },
    ]);
  });

  it('sends a defect of a reframer (anything but a StreamParseError) to the error channel', async () => {
    const broken = reframeChunks<never>(() => ({
      chunk: () => {
        throw new TypeError('bug');
      },
      end: () => undefined,
    }));
    await expect(lastValueFrom(from([sent(), chunk('x'), done()]).pipe(broken, toArray()))).rejects.toThrow('bug');
  });

  it('makes each subscription independent (cold): two subscribers get the same lines', async () => {
    const piped = from([sent(), chunk('a\nb'), done()]).pipe(lines(), toArray());
    const [first, second] = await Promise.all([lastValueFrom(piped), lastValueFrom(piped)]);
    expect(first.map(brief)).toEqual(['sent #1', 'line 0: a', 'line 1: b', 'response #1']);
    expect(second).toEqual(first);
  });

  it('runs in virtual time with the test scheduler (sanity check of the frame size in use)', () => {
    expect(Scheduler.get().createTime('---|')).toBe(3);
  });
});

describe('LineSplitter', () => {
  it('splits on \\n and \\r\\n in lf mode, keeping a lone \\r', () => {
    const s = new LineSplitter('lf');
    expect(s.push(enc.encode('a\r\nb\rc\n\nd'))).toEqual(['a', 'b\rc', '']);
    expect(s.end()).toEqual(['d']);
  });

  it('splits on \\n, \\r\\n and a lone \\r in any mode, waiting when \\r ends a chunk', () => {
    const s = new LineSplitter('any');
    expect(s.push(enc.encode('a\r'))).toEqual([]);
    expect(s.push(enc.encode('\nb\r'))).toEqual(['a']);
    expect(s.push(enc.encode('c\n'))).toEqual(['b', 'c']);
    expect(s.push(enc.encode('d\r'))).toEqual([]);
    expect(s.end()).toEqual(['d']);
  });

  it('drops a leading byte-order mark and turns an incomplete character at the end into U+FFFD', () => {
    const s = new LineSplitter('lf');
    expect(s.push(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61, 0x0a, 0xe2, 0x82))).toEqual(['a']);
    expect(s.end()).toEqual(['\ufffd']);
  });

  it('emits nothing at the end when the text ended with a terminator', () => {
    const s = new LineSplitter('lf');
    expect(s.push(enc.encode('x\n'))).toEqual(['x']);
    expect(s.end()).toEqual([]);
  });
});
