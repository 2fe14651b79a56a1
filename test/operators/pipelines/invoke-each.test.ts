import { cold, Scheduler } from 'jest-marbles';
import { defer, map, type Observable } from 'rxjs';
import type { EndpointInvoker } from '../../../src/events/invoker.js';
import { isInvalidRequestError } from '../../../src/errors/client-errors.js';
import type { InvokeEvent } from '../../../src/events/invoke-event.js';
import { createLimiter } from '../../../src/operators/resilience/create-limiter.js';
import { invokeEach } from '../../../src/operators/pipelines/invoke-each.js';
import { createRetryQuota, type RetryQuota } from '../../../src/retry/retry-quota.js';
import { isInvocationFailure, isInvocationSuccess, type InvocationResult } from '../../../src/operators/pipelines/invocation-result.js';
import type { InvokeEndpointInput } from '../../../src/model/shapes.js';
import { errorEvent, responseEvent, retryEvent, sentEvent, serviceError } from '../../../src/testing/event-builders.js';

// jest-marbles 4 runs the TestScheduler in run mode: one frame is 1 ms of virtual time.

const decoder = new TextDecoder();

/** An invoker whose invocations are the cold observables scripted per request body. */
function scriptedInvoker(script: Record<string, Observable<InvokeEvent>>): EndpointInvoker & { inputs: InvokeEndpointInput[] } {
  const inputs: InvokeEndpointInput[] = [];
  return {
    inputs,
    invokeEndpoint$(input) {
      inputs.push(input);
      const invocation = script[String(input.Body)];
      if (!invocation) throw new Error(`no script for body ${String(input.Body)}`);
      return invocation;
    },
  };
}

const toInput = (item: string): InvokeEndpointInput => ({ EndpointName: 'ep', Body: item, ContentType: 'text/plain' });

/** A result in a form marbles can compare: the item, its index, and the answer's body or the error's name. */
function summary(r: InvocationResult<string>): string {
  return isInvocationSuccess(r)
    ? `${r.index}:${r.item}=${decoder.decode(r.output.Body)}`
    : `${r.index}:${r.item}!${r.error.name}`;
}

const ok = (body: string) => responseEvent(body);
const s = sentEvent();
const modelError = serviceError('ModelError');

describe('invokeEach', () => {
  it('emits results as invocations finish when unordered, one per item', () => {
    const inv = {
      a: cold('s---r|', { s, r: ok('A') }),
      b: cold('s-r|', { s, r: ok('B') }),
      c: cold('s--e|', { s, e: errorEvent(modelError) }),
    };
    const source = cold<string>('(abc|)');
    const client = scriptedInvoker(inv);
    const out = source.pipe(invokeEach(client, toInput), map(summary));
    expect(out).toBeObservable(cold('--bc(a|)', { a: '0:a=A', b: '1:b=B', c: '2:c!ModelError' }));
    expect(inv.a).toHaveSubscriptions('^---!');
    expect(inv.b).toHaveSubscriptions('^-!');
    expect(inv.c).toHaveSubscriptions('^--!');
  });

  it('emits results in input order when ordered, while the invocations still run concurrently', () => {
    const inv = {
      a: cold('s---r|', { s, r: ok('A') }),
      b: cold('s-r|', { s, r: ok('B') }),
      c: cold('s--e|', { s, e: errorEvent(modelError) }),
    };
    const out = cold<string>('(abc|)').pipe(invokeEach(scriptedInvoker(inv), toInput, { ordered: true }), map(summary));
    expect(out).toBeObservable(cold('----(abc|)', { a: '0:a=A', b: '1:b=B', c: '2:c!ModelError' }));
    // all three subscribed at frame 0: ordering did not serialise them
    expect(inv.a).toHaveSubscriptions('^---!');
    expect(inv.b).toHaveSubscriptions('^-!');
    expect(inv.c).toHaveSubscriptions('^--!');
  });

  it('releases held results as soon as the gap before them fills', () => {
    const inv = {
      a: cold('--r|', { r: ok('A') }),
      b: cold('r|', { r: ok('B') }),
      c: cold('------r|', { r: ok('C') }),
      d: cold('-r|', { r: ok('D') }),
    };
    const out = cold<string>('(abcd|)').pipe(invokeEach(scriptedInvoker(inv), toInput, { ordered: true }), map(summary));
    expect(out).toBeObservable(cold('--(ab)(cd|)', { a: '0:a=A', b: '1:b=B', c: '2:c=C', d: '3:d=D' }));
  });

  it('keeps at most `concurrency` invocations in flight, starting the next as one settles', () => {
    const inv = {
      a: cold('--r|', { r: ok('A') }),
      b: cold('----r|', { r: ok('B') }),
      c: cold('-r|', { r: ok('C') }),
      d: cold('-r|', { r: ok('D') }),
    };
    const client = scriptedInvoker(inv);
    const out = cold<string>('(abcd|)').pipe(invokeEach(client, toInput, { concurrency: 2 }), map(summary));
    expect(out).toBeObservable(cold('--ac(bd|)', { a: '0:a=A', b: '1:b=B', c: '2:c=C', d: '3:d=D' }));
    expect(inv.a).toHaveSubscriptions('^-!');
    expect(inv.b).toHaveSubscriptions('^---!');
    expect(inv.c).toHaveSubscriptions('--^!');
    expect(inv.d).toHaveSubscriptions('---^!');
  });

  it('does not call toInput for an item before a slot is free', () => {
    const inv = { a: cold('---r|', { r: ok('A') }), b: cold('-r|', { r: ok('B') }) };
    const calls: Array<[string, number]> = [];
    const out = cold<string>('(ab|)').pipe(
      invokeEach(scriptedInvoker(inv), (item: string, index) => {
        calls.push([item, index]);
        return toInput(item);
      }, { concurrency: 1 }),
      map(summary),
    );
    expect(out).toBeObservable(cold('---a(b|)', { a: '0:a=A', b: '1:b=B' }));
    expect(inv.b).toHaveSubscriptions('---^!');
    expect(out).toSatisfyOnFlush(() => expect(calls).toEqual([['a', 0], ['b', 1]]));
  });

  it('turns a throwing toInput into that item’s InvalidRequestError result and goes on', () => {
    const inv = { a: cold('-r|', { r: ok('A') }), c: cold('--r|', { r: ok('C') }) };
    const client = scriptedInvoker(inv);
    const results: InvocationResult<string>[] = [];
    const out = cold<string>('a-b-c|').pipe(
      invokeEach(client, (item: string) => {
        if (item === 'b') throw new Error('b has no body');
        return toInput(item);
      }),
    );
    const tapped = out.pipe(map((r) => (results.push(r), summary(r))));
    expect(tapped).toBeObservable(cold('-ab---(c|)', { a: '0:a=A', b: '1:b!InvalidRequestError', c: '2:c=C' }));
    expect(tapped).toSatisfyOnFlush(() => {
      const failure = results.find(isInvocationFailure);
      expect(failure?.item).toBe('b');
      expect(isInvalidRequestError(failure?.error)).toBe(true);
      expect(failure?.error).toMatchObject({ member: 'toInput', rule: 'b has no body', retryable: false });
      expect(client.inputs.map((i) => i.Body)).toEqual(['a', 'c']);
    });
  });

  it('waits for in-flight items after the source completes', () => {
    const inv = { a: cold('-----r|', { r: ok('A') }) };
    const out = cold<string>('a|').pipe(invokeEach(scriptedInvoker(inv), toInput), map(summary));
    expect(out).toBeObservable(cold('-----(a|)', { a: '0:a=A' }));
  });

  it('unsubscribes every in-flight invocation when the consumer unsubscribes', () => {
    const inv = {
      a: cold('s----r|', { s, r: ok('A') }),
      b: cold('s-r|', { s, r: ok('B') }),
      c: cold('s-----r|', { s, r: ok('C') }),
    };
    const out = cold<string>('(abc|)').pipe(invokeEach(scriptedInvoker(inv), toInput), map(summary));
    Scheduler.get().expectObservable(out, '^---!').toBe('--b-', { b: '1:b=B' });
    expect(inv.a).toHaveSubscriptions('^---!');
    expect(inv.b).toHaveSubscriptions('^-!');
    expect(inv.c).toHaveSubscriptions('^---!');
  });

  it('also unsubscribes the source and queued items never start', () => {
    const inv = { a: cold('---r|', { r: ok('A') }), b: cold('r|', { r: ok('B') }) };
    const source = cold<string>('a-b-|');
    const out = source.pipe(invokeEach(scriptedInvoker(inv), toInput, { concurrency: 1 }), map(summary));
    Scheduler.get().expectObservable(out, '^-!').toBe('--');
    expect(source).toHaveSubscriptions('^-!');
    expect(inv.a).toHaveSubscriptions('^-!');
    expect(inv.b).toHaveSubscriptions([]);
  });

  it('passes a source error notification on at once, aborting in-flight items', () => {
    const inv = { a: cold('---r|', { r: ok('A') }) };
    const out = cold<string>('a-#', undefined, new Error('source broke')).pipe(invokeEach(scriptedInvoker(inv), toInput), map(summary));
    expect(out).toBeObservable(cold('--#', undefined, new Error('source broke')));
    expect(inv.a).toHaveSubscriptions('^-!');
  });

  it('keeps the events of each invocation when keepEvents is on', () => {
    const throttled = serviceError('ThrottlingException');
    const events = { s, t: retryEvent(throttled, 1), r: ok('A') };
    const inv = { a: cold('st-r|', events) };
    const results: InvocationResult<string>[] = [];
    const out = cold<string>('a|').pipe(invokeEach(scriptedInvoker(inv), toInput, { keepEvents: true }), map((r) => (results.push(r), summary(r))));
    expect(out).toBeObservable(cold('---(a|)', { a: '0:a=A' }));
    expect(out).toSatisfyOnFlush(() => expect(results[0]?.events?.map((e) => e.type)).toEqual(['sent', 'retry', 'response']));
  });

  it('leaves events off when keepEvents is off', () => {
    const inv = { a: cold('sr|', { s, r: ok('A') }) };
    const out = cold<string>('a|').pipe(invokeEach(scriptedInvoker(inv), toInput));
    expect(out).toBeObservable(cold('-(a|)', { a: { item: 'a', index: 0, output: ok('A').output } }));
  });

  it('reports an invocation that completes without a terminal event as a defect', () => {
    const inv = { a: cold('s|', { s }) };
    const out = cold<string>('a|').pipe(invokeEach(scriptedInvoker(inv), toInput));
    expect(out).toBeObservable(
      cold('-#', undefined, new Error('settleInvocation: the invocation completed without a response or error event')),
    );
  });

  it('rejects a bad config when the operator is created', () => {
    const client = scriptedInvoker({});
    expect(() => invokeEach(client, toInput, { concurrency: 0 })).toThrow(RangeError);
    expect(() => invokeEach(client, toInput, { concurrency: 1.5 })).toThrow(/concurrency must be a positive integer/);
    expect(() => invokeEach(client, undefined as unknown as typeof toInput)).toThrow(TypeError);
    expect(() => invokeEach({} as EndpointInvoker, toInput)).toThrow(/invokeEndpoint\$/);
  });
});

describe('invokeEach resilience options', () => {
  const unavailable = serviceError('ServiceUnavailable');

  /** An invoker whose successive subscriptions (attempts) are the given cold observables. */
  function attemptsInvoker(attempts: Observable<InvokeEvent>[], retryQuota?: RetryQuota): EndpointInvoker {
    let n = 0;
    return {
      ...(retryQuota ? { retryQuota } : {}),
      invokeEndpoint$: () =>
        defer(() => {
          const attempt = attempts[n++];
          if (!attempt) throw new Error(`attempt ${n} was not scripted`);
          return attempt;
        }),
    };
  }

  it('retries a retryable failure per item with `retry`, a fresh subscription after the backoff', () => {
    const first = cold('-e|', { e: errorEvent(unavailable) });
    const second = cold('-r|', { r: ok('A') });
    const results: InvocationResult<string>[] = [];
    const out = cold<string>('a|').pipe(
      invokeEach(attemptsInvoker([first, second]), toInput, {
        retry: { maxAttempts: 2, baseDelayMs: 3, random: () => 1 },
        keepEvents: true,
        scheduler: Scheduler.get(),
      }),
      map((r) => (results.push(r), summary(r))),
    );
    expect(out).toBeObservable(cold('-----(a|)', { a: '0:a=A' }));
    expect(first).toHaveSubscriptions('^!');
    expect(second).toHaveSubscriptions('----^!');
    expect(out).toSatisfyOnFlush(() => {
      expect(results[0]?.events?.map((e) => e.type)).toEqual(['retry', 'response']);
      expect(results[0]?.output?.$metadata.attempts).toBe(2);
    });
  });

  it('draws retries from the client’s retry quota', () => {
    const first = cold('-e|', { e: errorEvent(unavailable) });
    const second = cold('-r|', { r: ok('A') });
    // 5 tokens cannot pay for a 10-token retry: the failure is final
    const out = cold<string>('a|').pipe(
      invokeEach(attemptsInvoker([first, second], createRetryQuota({ capacity: 5 })), toInput, {
        retry: { maxAttempts: 3, baseDelayMs: 1, random: () => 1 },
        scheduler: Scheduler.get(),
      }),
      map(summary),
    );
    expect(out).toBeObservable(cold('-(a|)', { a: '0:a!ServiceUnavailable' }));
    expect(second).toHaveSubscriptions([]);
  });

  it('bounds each attempt with a numeric `timeout`, and retries the timed-out attempt', () => {
    const hung = cold('s-----r|', { s, r: ok('late') });
    const second = cold('-r|', { r: ok('A') });
    const out = cold<string>('a|').pipe(
      invokeEach(attemptsInvoker([hung, second]), toInput, {
        timeout: 2,
        retry: { maxAttempts: 2, baseDelayMs: 1, random: () => 1 },
        scheduler: Scheduler.get(),
      }),
      map(summary),
    );
    expect(out).toBeObservable(cold('----(a|)', { a: '0:a=A' }));
    expect(hung).toHaveSubscriptions('^-!');
    expect(second).toHaveSubscriptions('---^!');
  });

  it('bounds the whole invocation, retry waits included, with `timeout.total`', () => {
    const first = cold('-e|', { e: errorEvent(unavailable) });
    const second = cold('-r|', { r: ok('A') });
    const results: InvocationResult<string>[] = [];
    const out = cold<string>('a|').pipe(
      invokeEach(attemptsInvoker([first, second]), toInput, {
        timeout: { total: 3 },
        retry: { maxAttempts: 2, baseDelayMs: 5, random: () => 1 },
        scheduler: Scheduler.get(),
      }),
      map((r) => (results.push(r), summary(r))),
    );
    expect(out).toBeObservable(cold('---(a|)', { a: '0:a!TimeoutError' }));
    expect(second).toHaveSubscriptions([]);
    expect(out).toSatisfyOnFlush(() => expect(results[0]?.error).toMatchObject({ phase: 'total', ms: 3, retryable: false }));
  });

  it('waits for a permit of a shared `limiter` before each invocation', () => {
    const inv = { a: cold('--r|', { r: ok('A') }), b: cold('--r|', { r: ok('B') }) };
    const limiter = createLimiter({ maxConcurrency: 1, scheduler: Scheduler.get() });
    const results: InvocationResult<string>[] = [];
    const out = cold<string>('(ab|)').pipe(
      invokeEach(scriptedInvoker(inv), toInput, { limiter, keepEvents: true, scheduler: Scheduler.get() }),
      map((r) => (results.push(r), summary(r))),
    );
    expect(out).toBeObservable(cold('--a-(b|)', { a: '0:a=A', b: '1:b=B' }));
    expect(inv.a).toHaveSubscriptions('^-!');
    expect(inv.b).toHaveSubscriptions('--^-!');
    expect(out).toSatisfyOnFlush(() => {
      expect(results[1]?.events?.map((e) => e.type)).toEqual(['queued', 'response']);
      expect(limiter.state().inFlight).toBe(0);
    });
  });

  it('rejects bad resilience options when the operator is created', () => {
    const client = scriptedInvoker({});
    expect(() => invokeEach(client, toInput, { retry: { maxAttempts: 0 } })).toThrow(/maxAttempts/);
    expect(() => invokeEach(client, toInput, { timeout: -1 })).toThrow(/each must be a finite number > 0/);
    expect(() => invokeEach(client, toInput, { limiter: {} as never })).toThrow(/invokeEach: limiter must be/);
  });
});
