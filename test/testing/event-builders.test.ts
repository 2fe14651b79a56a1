import { cold } from 'jest-marbles';
import { map } from 'rxjs';
import { isAcceptedEvent, isHeadersEvent } from '../../src/events/guards.js';
import { acceptedEvent, errorEvent, headersEvent, responseEvent, sentEvent, serviceError } from '../../src/testing/event-builders.js';

describe('event builders', () => {
  it('builds service errors with the classification of their name', () => {
    const throttled = serviceError('ModelNotReadyException');
    expect(throttled.name).toBe('ModelNotReadyException');
    expect(throttled.$metadata.httpStatusCode).toBe(429);
    expect(throttled.throttling).toBe(true);
    expect(serviceError('ModelError').retryable).toBe(false);
    expect(serviceError('ServiceUnavailable').retryable).toBe(true);
    expect(serviceError('ThrottlingException').throttling).toBe(true);
  });

  it('builds events usable in marble tests', () => {
    const source = cold('s-r|', { s: sentEvent(1), r: responseEvent('{"a":1}') });
    expect(source.pipe(map((e) => e.type))).toBeObservable(cold('s-r|', { s: 'sent', r: 'response' }));
    expect(errorEvent(serviceError('ValidationError'), 2).attempt).toBe(2);
  });

  it('builds the headers event of a stream and the accepted event of an async call, with their statuses', () => {
    const headers = headersEvent({ ContentType: 'text/event-stream' }, 2);
    expect(isHeadersEvent(headers)).toBe(true);
    expect(headers).toMatchObject({ attempt: 2, output: { ContentType: 'text/event-stream', $metadata: { httpStatusCode: 200 } } });
    const accepted = acceptedEvent({ InferenceId: 'abc' });
    expect(isAcceptedEvent(accepted)).toBe(true);
    expect(accepted.output).toMatchObject({ InferenceId: 'abc', $metadata: { httpStatusCode: 202 } });
  });
});
