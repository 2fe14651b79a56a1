import { cold, Scheduler } from 'jest-marbles';
import { defer, of, type Observable } from 'rxjs';
import { retryInvocation, type RetryInvocationConfig } from '../../../src/operators/resilience/retry-invocation.js';
import { createRetryQuota } from '../../../src/retry/retry-quota.js';
import type { AnyInvokeEvent } from '../../../src/events/invoke-event.js';
import type { SageMakerRuntimeError } from '../../../src/errors/sagemaker-runtime-error.js';
import { ServiceUnavailable } from '../../../src/errors/service-errors.js';
import { chunkEvent, errorEvent, responseEvent, sentEvent, serviceError } from '../../../src/testing/event-builders.js';

// jest-marbles 4 runs the TestScheduler in run mode: one frame = 1 virtual ms.

const unavailable = serviceError('ServiceUnavailable');
const throttled = serviceError('ThrottlingException');
const modelError = serviceError('ModelError');
const streamFailure = serviceError('InternalStreamFailure');

/** The expected terminal `error` event: a copy of `error` whose `$metadata` says how many attempts were made. */
const finalError = (error: SageMakerRuntimeError, attempt: number, totalRetryDelay: number) => ({
  type: 'error',
  attempt,
  timestamp: 0,
  error: expect.objectContaining({
    name: error.name,
    message: error.message,
    $metadata: expect.objectContaining({ httpStatusCode: error.$metadata.httpStatusCode, attempts: attempt, totalRetryDelay }),
  }),
});
const retry = (error: SageMakerRuntimeError, attempt: number, delayMs: number, timestamp: number) => ({
  type: 'retry',
  attempt,
  delayMs,
  timestamp,
  error: expect.objectContaining({ name: error.name, $metadata: expect.objectContaining({ attempts: attempt }) }),
});
const sent = (attempt: number) => sentEvent(attempt);

const half = () => 0.5;
const op = (config: RetryInvocationConfig = {}) => retryInvocation<AnyInvokeEvent>({ random: half, scheduler: Scheduler.get(), ...config });

/** A source whose n-th subscription (0-based) is `attempts[n]`. */
function attemptsOf(attempts: Observable<AnyInvokeEvent>[]): Observable<AnyInvokeEvent> {
  let n = 0;
  return defer(() => attempts[Math.min(n++, attempts.length - 1)]!);
}

describe('retryInvocation', () => {
  it('resubscribes after the full-jitter backoff and ends with the last error carrying $metadata.attempts', () => {
    const attempt = cold('s-e|', { s: sent(1), e: errorEvent(unavailable) });
    // random 0.5, base 100: waits 50 then 100 ms
    const expected = cold('s-a 49ms t-b 99ms u-f|', {
      s: sent(1),
      t: sent(2),
      u: sent(3),
      a: retry(unavailable, 1, 50, 2),
      b: retry(unavailable, 2, 100, 54),
      f: finalError(unavailable, 3, 150),
    });
    expect(attempt.pipe(op())).toBeObservable(expected);
    expect(attempt).toHaveSubscriptions(['^-!', '52ms ^-!', '154ms ^--!']);
  });

  it('rewrites the attempt number of every event of a retried attempt', () => {
    const attempt = cold('s-e|', { s: sentEvent(1), e: errorEvent(unavailable, 1) });
    const values: AnyInvokeEvent[] = [];
    const result = attempt.pipe(op({ maxAttempts: 2 }));
    result.subscribe((e) => values.push(e));
    Scheduler.get().flush();
    expect(values.map((e) => `${e.type}:${e.attempt}`)).toEqual(['sent:1', 'retry:1', 'sent:2', 'error:2']);
  });

  it('uses the throttling base delay for throttling errors', () => {
    const attempt = cold('s-e|', { s: sent(1), e: errorEvent(throttled) });
    const expected = cold('s-r 249ms t-f|', { s: sent(1), t: sent(2), r: retry(throttled, 1, 250, 2), f: finalError(throttled, 2, 250) });
    expect(attempt.pipe(op({ maxAttempts: 2 }))).toBeObservable(expected);
    expect(attempt).toHaveSubscriptions(['^-!', '252ms ^--!']);
  });

  it('ends with the response of a later attempt, its $metadata counting the attempts and the wait', () => {
    const failing = cold('s-e|', { s: sent(1), e: errorEvent(unavailable) });
    const ok = cold('s-(o|)', { s: sent(1), o: responseEvent('{"ok":true}') });
    const expected = cold('s-r 49ms t-(o|)', {
      s: sent(1),
      t: sent(2),
      r: retry(unavailable, 1, 50, 2),
      o: expect.objectContaining({
        type: 'response',
        attempt: 2,
        output: expect.objectContaining({ $metadata: { httpStatusCode: 200, attempts: 2, totalRetryDelay: 50 } }),
      }),
    });
    expect(attemptsOf([failing, ok]).pipe(op())).toBeObservable(expected);
    expect(failing).toHaveSubscriptions('^-!');
    expect(ok).toHaveSubscriptions('52ms ^-!');
  });

  it('passes a non-retryable error straight through with one subscription', () => {
    const attempt = cold('s-e|', { s: sent(1), e: errorEvent(modelError) });
    expect(attempt.pipe(op({ maxAttempts: 5 }))).toBeObservable(cold('s-e|', { s: sent(1), e: finalError(modelError, 1, 0) }));
    expect(attempt).toHaveSubscriptions('^--!');
  });

  it('does not retry when maxAttempts is 1', () => {
    const attempt = cold('s-e|', { s: sent(1), e: errorEvent(unavailable) });
    expect(attempt.pipe(op({ maxAttempts: 1 }))).toBeObservable(cold('s-e|', { s: sent(1), e: finalError(unavailable, 1, 0) }));
    expect(attempt).toHaveSubscriptions('^--!');
  });

  it('does not modify the error object of the source', () => {
    const error = new ServiceUnavailable({ message: 'busy', $metadata: { httpStatusCode: 503 } });
    const attempt = cold('s-e|', { s: sent(1), e: errorEvent(error) });
    const seen: AnyInvokeEvent[] = [];
    attempt.pipe(op({ maxAttempts: 2 })).subscribe((e) => seen.push(e));
    Scheduler.get().flush();
    const last = seen.at(-1);
    expect(last?.type === 'error' && last.error).toBeInstanceOf(ServiceUnavailable);
    expect(last?.type === 'error' && last.error.$metadata).toEqual({ httpStatusCode: 503, attempts: 2, totalRetryDelay: 50 });
    expect(last?.type === 'error' && last.error.message).toBe('busy');
    expect(error.$metadata).toEqual({ httpStatusCode: 503 });
  });

  it('stops retrying when the quota cannot pay for a retry', () => {
    const quota = createRetryQuota({ capacity: 10 }); // one transient retry (cost 10)
    const attempt = cold('s-e|', { s: sent(1), e: errorEvent(unavailable) });
    const expected = cold('s-r 49ms t-f|', { s: sent(1), t: sent(2), r: retry(unavailable, 1, 50, 2), f: finalError(unavailable, 2, 50) });
    expect(attempt.pipe(op({ maxAttempts: 5, quota }))).toBeObservable(expected);
    expect(attempt).toHaveSubscriptions(['^-!', '52ms ^--!']);
    expect(cold('|')).toSatisfyOnFlush(() => expect(quota.available).toBe(0));
  });

  it('shares a quota between pipelines: a second failing call gets no retry once it is spent', () => {
    const quota = createRetryQuota({ capacity: 10 });
    const first = cold('s-e|', { s: sent(1), e: errorEvent(unavailable) });
    const second = cold('s-e|', { s: sent(1), e: errorEvent(unavailable) });
    expect(first.pipe(op({ maxAttempts: 2, quota }))).toBeObservable(
      cold('s-r 49ms t-f|', { s: sent(1), t: sent(2), r: retry(unavailable, 1, 50, 2), f: finalError(unavailable, 2, 50) }),
    );
    expect(second.pipe(op({ maxAttempts: 2, quota }))).toBeObservable(cold('s-e|', { s: sent(1), e: finalError(unavailable, 1, 0) }));
    expect(second).toHaveSubscriptions('^--!');
  });

  it('gives the quota back on success: the retry cost after a retry, 1 without', () => {
    const quota = createRetryQuota({ capacity: 500 });
    quota.acquire(true); // 495
    const failing = cold('s-e|', { s: sent(1), e: errorEvent(throttled) });
    const ok = cold('s-(o|)', { s: sent(1), o: responseEvent() });
    const retried = attemptsOf([failing, ok]).pipe(op({ quota }));
    const direct = cold('s-(o|)', { s: sent(1), o: responseEvent() }).pipe(op({ quota }));
    const seen: string[] = [];
    direct.subscribe(() => seen.push(`direct:${quota.available}`)); // 495 → 496 at frame 2
    retried.subscribe((e) => seen.push(`${e.type}:${quota.available}`));
    Scheduler.get().flush();
    // the throttling retry costs 5 (496 → 491), the success after it gives the 5 back (→ 496)
    expect(seen.filter((s) => !s.startsWith('sent'))).toEqual(['direct:495', 'direct:496', 'retry:491', 'response:496']);
    expect(quota.available).toBe(496);
  });

  it('honours the server retry hint, lengthening the wait by at most 5 s', () => {
    const hinted = new ServiceUnavailable({ message: 'slow down', $metadata: { httpStatusCode: 503 }, retryAfterMs: 3000 });
    const attempt = cold('s-e|', { s: sent(1), e: errorEvent(hinted) });
    expect(attempt.pipe(op({ maxAttempts: 2 }))).toBeObservable(
      cold('s-r 2999ms t-f|', { s: sent(1), t: sent(2), r: retry(hinted, 1, 3000, 2), f: finalError(hinted, 2, 3000) }),
    );
    expect(attempt).toHaveSubscriptions(['^-!', '3002ms ^--!']);

    const far = new ServiceUnavailable({ message: 'come back later', $metadata: { httpStatusCode: 503 }, retryAfterMs: 60_000 });
    const farAttempt = cold('s-e|', { s: sent(1), e: errorEvent(far) });
    expect(farAttempt.pipe(op({ maxAttempts: 2 }))).toBeObservable(
      cold('s-r 5049ms t-f|', { s: sent(1), t: sent(2), r: retry(far, 1, 5050, 2), f: finalError(far, 2, 5050) }),
    );
  });

  it('waits delayMs instead of the backoff when given, as a function of the failed attempt and its error', () => {
    const attempt = cold('s-e|', { s: sent(1), e: errorEvent(throttled) });
    const asked: Array<[number, string]> = [];
    const delayMs = (n: number, error: { name: string }) => {
      asked.push([n, error.name]);
      return 10;
    };
    const expected = cold('s-r 9ms t-f|', { s: sent(1), t: sent(2), r: retry(throttled, 1, 10, 2), f: finalError(throttled, 2, 10) });
    expect(attempt.pipe(op({ maxAttempts: 2, delayMs }))).toBeObservable(expected);
    expect(attempt).toHaveSubscriptions(['^-!', '12ms ^--!']);
    Scheduler.get().flush();
    expect(asked).toEqual([[1, 'ThrottlingException']]);
  });

  it('rejects a negative delayMs at creation and a garbage one at retry time', () => {
    expect(() => retryInvocation({ delayMs: -1 })).toThrow(RangeError);
    const attempt = cold('s-e|', { s: sent(1), e: errorEvent(unavailable) });
    const defect = new RangeError('retryInvocation: delayMs returned NaN for attempt 1; expected a finite number >= 0 ms');
    Scheduler.get().expectObservable(attempt.pipe(op({ delayMs: () => Number.NaN }))).toBe('s-#', { s: sent(1) }, defect);
  });

  it('cancels the wait when unsubscribed during it: no later subscription', () => {
    const attempt = cold('s-e|', { s: sent(1), e: errorEvent(unavailable) });
    Scheduler.get()
      .expectObservable(attempt.pipe(op()), '^ 20ms !')
      .toBe('s-r', { s: sent(1), r: retry(unavailable, 1, 50, 2) });
    expect(attempt).toHaveSubscriptions('^-!');
  });

  it('unsubscribes the attempt in flight when unsubscribed during it', () => {
    const attempt = cold('s-e|', { s: sent(1), e: errorEvent(unavailable) });
    Scheduler.get().expectObservable(attempt.pipe(op()), '^ 52ms !').toBe('s-r 49ms t', { s: sent(1), t: sent(2), r: retry(unavailable, 1, 50, 2) });
    expect(attempt).toHaveSubscriptions(['^-!', '52ms ^!']);
  });

  it('does not retry a stream that already delivered a chunk', () => {
    const attempt = cold('s-c-e|', { s: sent(1), c: chunkEvent('{"token":"a"}'), e: errorEvent(streamFailure) });
    expect(attempt.pipe(op())).toBeObservable(
      cold('s-c-e|', { s: sent(1), c: chunkEvent('{"token":"a"}'), e: finalError(streamFailure, 1, 0) }),
    );
    expect(attempt).toHaveSubscriptions('^----!');
  });

  it('retries a stream that failed before its first chunk', () => {
    const headers = { type: 'headers', attempt: 1, timestamp: 0, output: { $metadata: { httpStatusCode: 200 } } } as const;
    const attempt = cold('s-h-e|', { s: sent(1), h: headers, e: errorEvent(streamFailure) });
    const result = attempt.pipe(op({ maxAttempts: 2 }));
    expect(result).toBeObservable(
      cold('s-h-r 49ms t-i-f|', {
        s: sent(1),
        t: sent(2),
        h: headers,
        i: { ...headers, attempt: 2 },
        r: retry(streamFailure, 1, 50, 4),
        f: finalError(streamFailure, 2, 50),
      }),
    );
    expect(attempt).toHaveSubscriptions(['^---!', '54ms ^----!']);
  });

  it('retries a stream after data when retryAfterData is set', () => {
    const attempt = cold('s-c-e|', { s: sent(1), c: chunkEvent('x'), e: errorEvent(streamFailure) });
    expect(attempt.pipe(op({ maxAttempts: 2, retryAfterData: true }))).toBeObservable(
      cold('s-c-r 49ms t-d-f|', { s: sent(1), t: sent(2), c: chunkEvent('x'), d: chunkEvent('x', 0, 2), r: retry(streamFailure, 1, 50, 4), f: finalError(streamFailure, 2, 50) }),
    );
    expect(attempt).toHaveSubscriptions(['^---!', '54ms ^----!']);
  });

  it('lets shouldRetry override the classification, and tells it the attempt', () => {
    const calls: Array<[string, number]> = [];
    const shouldRetry = (error: SageMakerRuntimeError, attempt: number) => {
      calls.push([error.name, attempt]);
      return error.name === 'ModelError';
    };
    const model = cold('s-e|', { s: sent(1), e: errorEvent(modelError) });
    expect(model.pipe(op({ maxAttempts: 2, shouldRetry }))).toBeObservable(
      cold('s-r 49ms t-f|', { s: sent(1), t: sent(2), r: retry(modelError, 1, 50, 2), f: finalError(modelError, 2, 50) }),
    );
    const transient = cold('s-e|', { s: sent(1), e: errorEvent(unavailable) });
    expect(transient.pipe(op({ maxAttempts: 2, shouldRetry }))).toBeObservable(cold('s-e|', { s: sent(1), e: finalError(unavailable, 1, 0) }));
    expect(cold('|')).toSatisfyOnFlush(() =>
      expect(calls).toEqual([
        ['ModelError', 1],
        ['ServiceUnavailable', 1],
      ]),
    );
  });

  it('reports a throwing shouldRetry as a defect on the error channel', () => {
    const boom = new Error('bug in shouldRetry');
    const attempt = cold('s-e|', { s: sent(1), e: errorEvent(unavailable) });
    const shouldRetry = () => {
      throw boom;
    };
    expect(attempt.pipe(op({ shouldRetry }))).toBeObservable(cold('s-#', { s: sent(1) }, boom));
    expect(attempt).toHaveSubscriptions('^-!');
  });

  it('forwards an error notification of the source (a defect) without retrying', () => {
    const attempt = cold('s-#', { s: sent(1) }, new Error('defect'));
    expect(attempt.pipe(op())).toBeObservable(cold('s-#', { s: sent(1) }, new Error('defect')));
    expect(attempt).toHaveSubscriptions('^-!');
  });

  describe('events a first attempt ends with, already saying attempts 1 and totalRetryDelay 0 (as the client\'s do)', () => {
    const firstAttempt = (error: SageMakerRuntimeError) => {
      const copy = serviceError(error.name);
      copy.$metadata = { ...copy.$metadata, attempts: 1, totalRetryDelay: 0 };
      return copy;
    };
    const tallied = { $metadata: { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 } };

    it.each<[string, () => AnyInvokeEvent]>([
      ['a response', () => responseEvent('{}', 1, 0, tallied)],
      ['a non-retryable error', () => errorEvent(firstAttempt(modelError))],
      ['a retryable error on the last attempt', () => errorEvent(firstAttempt(unavailable))],
    ])('pass through untouched, as the same objects: %s', (_what, terminal) => {
      const events = [sentEvent(1), chunkEvent('x', 0, 1), terminal()];
      const seen: AnyInvokeEvent[] = [];
      of(...events).pipe(retryInvocation({ maxAttempts: events[2]!.type === 'error' && events[2]!.error.retryable ? 1 : 3 })).subscribe((e) => seen.push(e));
      expect(seen).toHaveLength(3);
      seen.forEach((e, i) => expect(e).toBe(events[i]));
    });

    it('are copied once a retry happened, and the source\'s objects keep what they said', () => {
      const failed = errorEvent(firstAttempt(unavailable));
      const answered = responseEvent('{}', 1, 0, tallied);
      const seen: AnyInvokeEvent[] = [];
      attemptsOf([of(failed), of(answered)]).pipe(op({ maxAttempts: 2, delayMs: 5 })).subscribe((e) => seen.push(e));
      Scheduler.get().flush();
      const last = seen.at(-1)!;
      expect(last).not.toBe(answered);
      expect(last.type === 'response' && [last.attempt, (last.output as { $metadata: unknown }).$metadata]).toEqual([2, { httpStatusCode: 200, attempts: 2, totalRetryDelay: 5 }]);
      expect([answered.attempt, answered.output.$metadata]).toEqual([1, { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 }]);
      expect(failed.error.$metadata).toMatchObject({ attempts: 1, totalRetryDelay: 0 });
    });

    it('are copied when they do not say it (a source that is not the client), as before', () => {
      const bare = responseEvent('{}');
      const seen: AnyInvokeEvent[] = [];
      of(bare).pipe(retryInvocation()).subscribe((e) => seen.push(e));
      expect(seen[0]).not.toBe(bare);
      expect(seen[0]!.type === 'response' && (seen[0]!.output as { $metadata: unknown }).$metadata).toEqual({ httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 });
      expect(bare.output.$metadata).toEqual({ httpStatusCode: 200, attempts: 1 });
    });
  });

  it('works with a source that emits synchronously', () => {
    const attempt = cold('(se|)', { s: sent(1), e: errorEvent(unavailable) });
    expect(attempt.pipe(op({ maxAttempts: 2 }))).toBeObservable(
      cold('(sr) 46ms (tf|)', { s: sent(1), t: sent(2), r: retry(unavailable, 1, 50, 0), f: finalError(unavailable, 2, 50) }),
    );
    // jest-marbles cannot marblize a same-frame subscription ('(^!)'): read the log directly
    expect(cold('|')).toSatisfyOnFlush(() =>
      expect(attempt.getSubscriptions()).toEqual([
        { subscribedFrame: 0, unsubscribedFrame: 0 },
        { subscribedFrame: 50, unsubscribedFrame: 50 },
      ]),
    );
  });

  it.each<[string, RetryInvocationConfig, ErrorConstructor]>([
    ['maxAttempts 0', { maxAttempts: 0 }, RangeError],
    ['maxAttempts 2.5', { maxAttempts: 2.5 }, RangeError],
    ['maxAttempts NaN', { maxAttempts: Number.NaN }, RangeError],
    ['baseDelayMs -1', { baseDelayMs: -1 }, RangeError],
    ['throttlingBaseDelayMs NaN', { throttlingBaseDelayMs: Number.NaN }, RangeError],
    ['maxDelayMs Infinity', { maxDelayMs: Number.POSITIVE_INFINITY }, RangeError],
    ['random not a function', { random: 0.5 as unknown as () => number }, TypeError],
    ['shouldRetry not a function', { shouldRetry: true as unknown as () => boolean }, TypeError],
    ['quota without acquire', { quota: {} as never }, TypeError],
    ['retryAfterData not a boolean', { retryAfterData: 'yes' as unknown as boolean }, TypeError],
  ])('throws at creation for %s, naming the option', (label, config, type) => {
    const option = label.split(' ')[0]!;
    expect(() => retryInvocation(config)).toThrow(type);
    expect(() => retryInvocation(config)).toThrow(option);
  });
});
