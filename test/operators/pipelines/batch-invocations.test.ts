import { cold, Scheduler } from 'jest-marbles';
import { defer, map, type Observable, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import type { EndpointInvoker } from '../../../src/events/invoker.js';
import { isInvalidRequestError } from '../../../src/errors/client-errors.js';
import type { SageMakerRuntimeError } from '../../../src/errors/sagemaker-runtime-error.js';
import type { InvokeEvent } from '../../../src/events/invoke-event.js';
import { isBatchDecodeError, type BatchDecodeError } from '../../../src/operators/pipelines/batch-decode-error.js';
import { batchInvocations, type BatchInvocationsConfig } from '../../../src/operators/pipelines/batch-invocations.js';
import type { Codec } from '../../../src/operators/pipelines/codecs/codec.js';
import { createLimiter } from '../../../src/operators/resilience/create-limiter.js';
import { isInvocationFailure, type BatchResult } from '../../../src/operators/pipelines/invocation-result.js';
import type { InvokeEndpointInput } from '../../../src/model/shapes.js';
import { MAX_BODY_BYTES } from '../../../src/model/index.js';
import { errorEvent, responseEvent, sentEvent, serviceError } from '../../../src/testing/event-builders.js';

// jest-marbles 4 runs the TestScheduler in run mode: one frame is 1 ms of virtual time, and a
// group `(ab)` occupies as many frames as it has characters. Its subscription matcher cannot
// print a subscription that ends in the frame it began (`(^!)`), so the scripted invocations
// whose subscriptions are asserted answer at least one frame after they are subscribed.

const decoder = new TextDecoder();
const bodyOf = (input: InvokeEndpointInput) =>
  typeof input.Body === 'string' ? input.Body : decoder.decode(input.Body as Uint8Array);

/** An invoker whose invocations are the cold observables scripted per request body text. */
function scriptedInvoker(script: Record<string, Observable<InvokeEvent>>): EndpointInvoker & { inputs: InvokeEndpointInput[]; bodies: string[] } {
  const inputs: InvokeEndpointInput[] = [];
  const bodies: string[] = [];
  return {
    inputs,
    bodies,
    invokeEndpoint$(input) {
      inputs.push(input);
      const body = bodyOf(input);
      bodies.push(body);
      const invocation = script[body];
      if (!invocation) throw new Error(`no script for body ${body}`);
      return invocation;
    },
  };
}

const s = sentEvent();
const ok = (body: string) => responseEvent(body);
const answer = (marbles: string, body: string) => cold(marbles, { s, r: ok(body) });

const success = (item: string, index: number, output: unknown, id: number, size: number): BatchResult<string> => ({
  item,
  index,
  output,
  batch: { id, size },
});
const failure = (item: string, index: number, error: SageMakerRuntimeError, id: number, size: number): BatchResult<string> => ({
  item,
  index,
  error,
  batch: { id, size },
});

/** The operator under test with the test scheduler as its clock. */
function batched(client: EndpointInvoker, config: Partial<BatchInvocationsConfig<string>> = {}) {
  return batchInvocations<string>(client, { endpointName: 'ep', scheduler: Scheduler.get(), ...config });
}

describe('batchInvocations', () => {
  it('closes a batch at maxBatchSize items and gives each item its own decoded answer', () => {
    const inv = {
      ab: answer('-r|', '["A","B"]'),
      cd: answer('-r|', '["C","D"]'),
    };
    const client = scriptedInvoker({ '["a","b"]': inv.ab, '["c","d"]': inv.cd });
    const out = cold<string>('a-b-c-d|').pipe(batched(client, { maxBatchSize: 2, maxWaitMs: Infinity }));
    expect(out).toBeObservable(
      cold('---(ab)(cd|)', {
        a: success('a', 0, 'A', 1, 2),
        b: success('b', 1, 'B', 1, 2),
        c: success('c', 2, 'C', 2, 2),
        d: success('d', 3, 'D', 2, 2),
      }),
    );
    expect(inv.ab).toHaveSubscriptions('--^!');
    expect(inv.cd).toHaveSubscriptions('------^!');
    expect(out).toSatisfyOnFlush(() => {
      expect(client.inputs.map((i) => [i.EndpointName, i.ContentType, i.Accept])).toEqual([
        ['ep', 'application/json', 'application/json'],
        ['ep', 'application/json', 'application/json'],
      ]);
    });
  });

  it('closes a batch maxWaitMs after its first item, not after the last', () => {
    const inv = { ab: answer('-r|', '[1,2]'), c: answer('-r|', '[3]') };
    const client = scriptedInvoker({ '["a","b"]': inv.ab, '["c"]': inv.c });
    const out = cold<string>('a-b---------c|').pipe(batched(client, { maxBatchSize: 10, maxWaitMs: 3 }));
    expect(out).toBeObservable(
      cold('----(ab)------(c|)', { a: success('a', 0, 1, 1, 2), b: success('b', 1, 2, 1, 2), c: success('c', 2, 3, 2, 1) }),
    );
    expect(inv.ab).toHaveSubscriptions('---^!');
    // the second batch is flushed by completion (frame 13), before its own 3 ms ran out
    expect(inv.c).toHaveSubscriptions('-------------^!');
  });

  it('sends nothing while no item waits', () => {
    const client = scriptedInvoker({ '["a"]': answer('r|', '[1]') });
    const out = cold<string>('a----------|').pipe(batched(client, { maxWaitMs: 2 }));
    expect(out).toBeObservable(cold('--a--------|', { a: success('a', 0, 1, 1, 1) }));
    expect(out).toSatisfyOnFlush(() => expect(client.bodies).toEqual(['["a"]']));
  });

  it('flushes the partial batch when the source completes', () => {
    const inv = answer('--r|', '["A","B"]');
    const client = scriptedInvoker({ '["a","b"]': inv });
    const out = cold<string>('a-b|').pipe(batched(client, { maxBatchSize: 10, maxWaitMs: Infinity }));
    expect(out).toBeObservable(cold('-----(ab|)', { a: success('a', 0, 'A', 1, 2), b: success('b', 1, 'B', 1, 2) }));
    expect(inv).toHaveSubscriptions('---^-!');
  });

  it('closes a batch before the item that would take it over maxBatchBytes, and rejects an item too large alone', () => {
    // `["aaaa","bbbb"]` is 15 bytes; a third item would make 22; `["xxxxxxxxxxxxxxxx"]` is 20 alone.
    const big = 'x'.repeat(16);
    const inv = { ab: answer('-r|', '[1,2]'), c: answer('-r|', '[3]') };
    const client = scriptedInvoker({ '["aaaa","bbbb"]': inv.ab, '["cccc"]': inv.c });
    const results: BatchResult<string>[] = [];
    const out = cold<string>('(axbc|)', { a: 'aaaa', x: big, b: 'bbbb', c: 'cccc' }).pipe(
      batched(client, { maxBatchBytes: 15, maxWaitMs: Infinity }),
      map((r) => (results.push(r), `${r.index}:${isInvocationFailure(r) ? r.error.name : String(r.output)}@${r.batch.id}`)),
    );
    expect(out).toBeObservable(
      cold('x(abc|)', { x: '1:InvalidRequestError@1', a: '0:1@2', b: '2:2@2', c: '3:3@3' }),
    );
    expect(out).toSatisfyOnFlush(() => {
      const rejected = results.find(isInvocationFailure);
      expect(isInvalidRequestError(rejected?.error)).toBe(true);
      expect(rejected?.error).toMatchObject({ member: 'Body', rule: 'at most 15 bytes per batch' });
      expect(rejected?.error?.message).toMatch(/item 1 needs 20 bytes alone/);
      expect(client.bodies.every((b) => Buffer.byteLength(b) <= 15)).toBe(true);
      expect(client.bodies).toEqual(['["aaaa","bbbb"]', '["cccc"]']);
    });
  });

  it('counts bytes in UTF-8, not in characters', () => {
    // `["é"]` is 6 bytes but 5 characters: with 5 bytes allowed, it cannot travel.
    const client = scriptedInvoker({});
    const out = cold<string>('(e|)', { e: 'é' }).pipe(
      batched(client, { maxBatchBytes: 5 }),
      map((r) => (isInvocationFailure(r) ? r.error.name : 'sent')),
    );
    expect(out).toBeObservable(cold('(e|)', { e: 'InvalidRequestError' }));
  });

  it('gives every item of a batch whose answer has the wrong count a BatchDecodeError, never a shift', () => {
    const client = scriptedInvoker({ '["a","b","c"]': answer('-r|', '["A","B"]') });
    const results: BatchResult<string>[] = [];
    const out = cold<string>('(abc|)').pipe(batched(client), map((r) => (results.push(r), `${r.item}:${isInvocationFailure(r) ? r.error.name : r.output}`)));
    expect(out).toBeObservable(cold('-(abc|)', { a: 'a:BatchDecodeError', b: 'b:BatchDecodeError', c: 'c:BatchDecodeError' }));
    expect(out).toSatisfyOnFlush(() => {
      const [first, ...rest] = results;
      expect(isBatchDecodeError(first?.error)).toBe(true);
      expect(first?.error).toMatchObject({ expected: 3, got: 2, batchId: 1, retryable: false });
      expect(first?.error?.message).toBe('batch 1: the codec decoded 2 results for 3 items; expected 3, got 2');
      for (const r of rest) expect(r.error).toBe(first?.error);
    });
  });

  it('gives every item a BatchDecodeError when decode throws', () => {
    const client = scriptedInvoker({ '["a","b"]': answer('r|', 'not json') });
    const results: BatchResult<string>[] = [];
    const out = cold<string>('(ab|)').pipe(batched(client), map((r) => (results.push(r), isInvocationFailure(r) ? r.error.name : 'ok')));
    expect(out).toBeObservable(cold('(ab|)', { a: 'BatchDecodeError', b: 'BatchDecodeError' }));
    expect(out).toSatisfyOnFlush(() => {
      expect(results[0]?.error).toMatchObject({ expected: 2, batchId: 1 });
      expect(results[0]?.error?.cause).toBeInstanceOf(SyntaxError);
      expect((results[0]?.error as BatchDecodeError).got).toBeUndefined();
      expect(results[0]?.error?.message).toMatch(/^batch 1: the codec could not decode the answer \(.*JSON.*\); expected 2, got none$/);
    });
  });

  it('gives every item of a failed batch the same error', () => {
    const modelError = serviceError('ModelError');
    const inv = cold('s-e|', { s, e: errorEvent(modelError) });
    const client = scriptedInvoker({ '["a","b"]': inv });
    const out = cold<string>('(ab|)').pipe(batched(client));
    expect(out).toBeObservable(cold('--(ab|)', { a: failure('a', 0, modelError, 1, 2), b: failure('b', 1, modelError, 1, 2) }));
  });

  it('bisects a batch failing with a non-retryable error until only the poison item fails, when splitOnFailure is on', () => {
    const modelError = serviceError('ModelError');
    const fail = () => cold('-e|', { e: errorEvent(modelError) });
    const inv = {
      abcd: fail(),
      ab: fail(),
      a: answer('-r|', '["A"]'),
      b: fail(),
      cd: answer('-r|', '["C","D"]'),
    };
    const client = scriptedInvoker({
      '["a","b","c","d"]': inv.abcd,
      '["a","b"]': inv.ab,
      '["a"]': inv.a,
      '["b"]': inv.b,
      '["c","d"]': inv.cd,
    });
    const out = cold<string>('(abcd|)').pipe(batched(client, { splitOnFailure: true }));
    expect(out).toBeObservable(
      cold('---ab(cd|)', {
        a: success('a', 0, 'A', 3, 1),
        b: failure('b', 1, modelError, 4, 1),
        c: success('c', 2, 'C', 5, 2),
        d: success('d', 3, 'D', 5, 2),
      }),
    );
    // halves are sent one after the other: a split stays within its batch's concurrency slot
    expect(inv.abcd).toHaveSubscriptions('^!');
    expect(inv.ab).toHaveSubscriptions('-^!');
    expect(inv.a).toHaveSubscriptions('--^!');
    expect(inv.b).toHaveSubscriptions('---^!');
    expect(inv.cd).toHaveSubscriptions('----^!');
  });

  it('does not bisect when the error is retryable, nor without splitOnFailure', () => {
    const unavailable = serviceError('ServiceUnavailable');
    const modelError = serviceError('ModelError');
    const a = scriptedInvoker({ '["a","b"]': cold('-e|', { e: errorEvent(unavailable) }) });
    const b = scriptedInvoker({ '["a","b"]': cold('-e|', { e: errorEvent(modelError) }) });
    const split = cold<string>('(ab|)').pipe(batched(a, { splitOnFailure: true }), map((r) => `${r.item}:${r.error?.name}@${r.batch.id}`));
    const plain = cold<string>('(ab|)').pipe(batched(b), map((r) => `${r.item}:${r.error?.name}@${r.batch.id}`));
    expect(split).toBeObservable(cold('-(ab|)', { a: 'a:ServiceUnavailable@1', b: 'b:ServiceUnavailable@1' }));
    expect(plain).toBeObservable(cold('-(ab|)', { a: 'a:ModelError@1', b: 'b:ModelError@1' }));
    expect(split).toSatisfyOnFlush(() => {
      expect(a.bodies).toEqual(['["a","b"]']);
      expect(b.bodies).toEqual(['["a","b"]']);
    });
  });

  it('cancels the wait timer and unsubscribes in-flight batches on unsubscribe', () => {
    const inv = answer('s----r|', '["A","B"]');
    const client = scriptedInvoker({ '["a","b"]': inv });
    const source = cold<string>('ab-c------|');
    // a clock that remembers the timers it was asked for
    const testScheduler = Scheduler.get();
    const timers: Subscription[] = [];
    const clock: SchedulerLike = {
      now: () => testScheduler.now(),
      schedule(work: (this: SchedulerAction<unknown>, state?: unknown) => void, delay?: number, state?: unknown) {
        const timer = testScheduler.schedule(work, delay, state);
        timers.push(timer);
        return timer;
      },
    };
    let openTimersAfterUnsubscribe = -1;
    testScheduler.schedule(() => (openTimersAfterUnsubscribe = timers.filter((t) => !t.closed).length), 5);
    const out = source.pipe(batched(client, { maxBatchSize: 2, maxWaitMs: 5, scheduler: clock }));
    testScheduler.expectObservable(out, '^---!').toBe('----');
    expect(source).toHaveSubscriptions('^---!');
    expect(inv).toHaveSubscriptions('-^--!');
    testScheduler.flush();
    // the open batch `c` (frame 3) had a timer due at frame 8: unsubscribing at 4 closed it
    expect(timers).toHaveLength(2);
    expect(openTimersAfterUnsubscribe).toBe(0);
    expect(client.bodies).toEqual(['["a","b"]']);
  });

  it('keeps at most `concurrency` batches in flight', () => {
    const inv = { a: answer('---r|', '[1]'), b: answer('-r|', '[2]'), c: answer('-r|', '[3]') };
    const client = scriptedInvoker({ '["a"]': inv.a, '["b"]': inv.b, '["c"]': inv.c });
    const out = cold<string>('(abc|)').pipe(
      batched(client, { maxBatchSize: 1, concurrency: 2 }),
      map((r) => `${r.item}${String(r.output)}`),
    );
    expect(out).toBeObservable(cold('-bc(a|)', { a: 'a1', b: 'b2', c: 'c3' }));
    expect(inv.a).toHaveSubscriptions('^--!');
    expect(inv.b).toHaveSubscriptions('^!');
    expect(inv.c).toHaveSubscriptions('-^!');
  });

  it('emits in input order when ordered, across batches', () => {
    const inv = { ab: answer('---r|', '[1,2]'), c: answer('-r|', '[3]') };
    const client = scriptedInvoker({ '["a","b"]': inv.ab, '["c"]': inv.c });
    const out = cold<string>('(abc|)').pipe(
      batched(client, { maxBatchSize: 2, ordered: true }),
      map((r) => `${r.item}${String(r.output)}`),
    );
    expect(out).toBeObservable(cold('---(abc|)', { a: 'a1', b: 'b2', c: 'c3' }));
    expect(inv.c).toHaveSubscriptions('^!');
  });

  it('adds the members toRequest returns, and fails the batch when it throws', () => {
    const client = scriptedInvoker({ '["a","b"]': answer('r|', '[1,2]') });
    const out = cold<string>('(ab|)').pipe(
      batched(client, {
        maxBatchSize: 2,
        toRequest: ({ id, items }) => {
          return { CustomAttributes: `batch=${id};n=${items.length}`, TargetVariant: 'blue', Accept: 'application/jsonlines' };
        },
      }),
      map((r) => `${r.item}:${isInvocationFailure(r) ? `${r.error.name}/${(r.error as { member?: string }).member}` : r.output}`),
    );
    const failing = cold<string>('(c|)').pipe(
      batched(client, { toRequest: () => { throw new Error('no route'); } }),
      map((r) => `${r.item}:${r.error?.name}/${(r.error as { member?: string; rule?: string }).member}/${(r.error as { rule?: string }).rule}`),
    );
    expect(out).toBeObservable(cold('(ab|)', { a: 'a:1', b: 'b:2' }));
    expect(failing).toBeObservable(cold('(c|)', { c: 'c:InvalidRequestError/toRequest/no route' }));
    expect(out).toSatisfyOnFlush(() => {
      expect(client.inputs).toHaveLength(1);
      expect(client.inputs[0]).toMatchObject({
        EndpointName: 'ep',
        ContentType: 'application/json',
        Accept: 'application/jsonlines',
        CustomAttributes: 'batch=1;n=2',
        TargetVariant: 'blue',
      });
    });
  });

  it('rejects an item the codec cannot encode, and sends the others', () => {
    const client = scriptedInvoker({ '["a"]': answer('r|', '[1]') });
    const results: BatchResult<unknown>[] = [];
    const out = cold<unknown>('(au|)', { a: 'a', u: undefined }).pipe(
      batchInvocations<unknown>(client, { endpointName: 'ep', scheduler: Scheduler.get() }),
      map((r) => (results.push(r), `${r.index}:${isInvocationFailure(r) ? r.error.name : String(r.output)}`)),
    );
    expect(out).toBeObservable(cold('(ua|)', { u: '1:InvalidRequestError', a: '0:1' }));
    expect(out).toSatisfyOnFlush(() =>
      expect(results[0]?.error).toMatchObject({ member: 'Body', rule: 'the codec could not encode the item: the item has no JSON form (undefined)' }),
    );
  });

  it('halves a batch before sending when a codec without encodeItem encodes it over maxBatchBytes', () => {
    // Each item measures 2 bytes alone, but this codec repeats every item once per item in the batch.
    const growing: Codec<string, string> = {
      contentType: 'text/plain',
      encode: (items) => items.map((i) => i.repeat(items.length)).join(''),
      decode: (_output, items) => items.map((i) => i.toUpperCase()),
    };
    const client = scriptedInvoker({ aa: answer('r|', ''), bb: answer('r|', ''), cc: answer('r|', '') });
    const out = cold<string>('(abc|)', { a: 'aa', b: 'bb', c: 'cc' }).pipe(
      batchInvocations(client, { endpointName: 'ep', codec: growing, maxBatchBytes: 6, scheduler: Scheduler.get() }),
      map((r) => `${r.output}@${r.batch.id}/${r.batch.size}`),
    );
    expect(out).toBeObservable(cold('(abc|)', { a: 'AA@1/1', b: 'BB@2/1', c: 'CC@3/1' }));
    expect(out).toSatisfyOnFlush(() => expect(client.bodies).toEqual(['aa', 'bb', 'cc']));
  });

  it('keeps the batch’s events on each of its results when keepEvents is on', () => {
    const client = scriptedInvoker({ '["a","b"]': answer('sr|', '[1,2]') });
    const results: BatchResult<string>[] = [];
    const out = cold<string>('(ab|)').pipe(batched(client, { keepEvents: true }), map((r) => (results.push(r), r.item)));
    expect(out).toBeObservable(cold('-(ab|)', { a: 'a', b: 'b' }));
    expect(out).toSatisfyOnFlush(() => {
      expect(results[0]?.events?.map((e) => e.type)).toEqual(['sent', 'response']);
      expect(results[1]?.events).toBe(results[0]?.events);
    });
  });

  it('rejects a bad config when the operator is created', () => {
    const client = scriptedInvoker({});
    expect(() => batchInvocations(client, { endpointName: 'ep', maxBatchBytes: MAX_BODY_BYTES + 1 })).toThrow(/maxBatchBytes must be an integer from 1 to 6291456/);
    expect(() => batchInvocations(client, { endpointName: 'ep', maxBatchSize: 0 })).toThrow(RangeError);
    expect(() => batchInvocations(client, { endpointName: 'ep', maxWaitMs: -1 })).toThrow(RangeError);
    expect(() => batchInvocations(client, { endpointName: 'ep', concurrency: 0 })).toThrow(RangeError);
    expect(() => batchInvocations(client, { endpointName: '' })).toThrow(TypeError);
    expect(() => batchInvocations(client, { endpointName: 'ep', codec: 'xml' as never })).toThrow(/unknown codec "xml"/);
  });
});

describe('batchInvocations resilience options', () => {
  it('retries a batch whose invocation failed with a retryable error, then hands out its results', () => {
    const unavailable = serviceError('ServiceUnavailable');
    const attempts = [cold('-e|', { e: errorEvent(unavailable) }), answer('-r|', '["A","B"]')];
    let n = 0;
    const client: EndpointInvoker & { bodies: string[] } = {
      bodies: [],
      invokeEndpoint$(input) {
        client.bodies.push(bodyOf(input));
        return defer(() => attempts[n++]!);
      },
    };
    const out = cold<string>('(ab|)').pipe(
      batched(client, { retry: { maxAttempts: 2, baseDelayMs: 2, random: () => 1 } }),
      map((r) => `${r.item}:${String(r.output)}@${r.batch.id}`),
    );
    expect(out).toBeObservable(cold('----(ab|)', { a: 'a:A@1', b: 'b:B@1' }));
    expect(attempts[0]).toHaveSubscriptions('^!');
    expect(attempts[1]).toHaveSubscriptions('---^!');
    expect(out).toSatisfyOnFlush(() => expect(client.bodies).toEqual(['["a","b"]']));
  });

  it('takes a limiter permit per batch, so a shared limiter caps batches across pipelines', () => {
    const inv = { a: answer('--r|', '[1]'), b: answer('--r|', '[2]') };
    const limiter = createLimiter({ maxConcurrency: 1, scheduler: Scheduler.get() });
    const client = scriptedInvoker({ '["a"]': inv.a, '["b"]': inv.b });
    const one = cold<string>('(a|)').pipe(batched(client, { limiter }), map((r) => `${r.item}${String(r.output)}`));
    const two = cold<string>('(b|)').pipe(batched(client, { limiter }), map((r) => `${r.item}${String(r.output)}`));
    expect(one).toBeObservable(cold('--(a|)', { a: 'a1' }));
    expect(two).toBeObservable(cold('----(b|)', { b: 'b2' }));
    expect(inv.a).toHaveSubscriptions('^-!');
    expect(inv.b).toHaveSubscriptions('--^-!');
  });

  it('fails a batch whose attempt exceeds `timeout`, every item with the TimeoutError', () => {
    const client = scriptedInvoker({ '["a","b"]': answer('s----r|', '[1,2]') });
    const out = cold<string>('(ab|)').pipe(batched(client, { timeout: 2 }), map((r) => `${r.item}:${r.error?.name}`));
    expect(out).toBeObservable(cold('--(ab|)', { a: 'a:TimeoutError', b: 'b:TimeoutError' }));
  });
});
