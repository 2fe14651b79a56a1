import { cold } from 'jest-marbles';
import { map } from 'rxjs';
import { errorEvent, responseEvent, sentEvent, serviceError } from '../../src/testing/event-builders.js';

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
});
