import {
  InternalFailure,
  InvalidRequestError,
  ModelError,
  ModelNotReadyException,
  NetworkError,
  SageMakerRuntimeError,
  ServiceUnavailable,
  TimeoutError,
  ValidationError,
} from '../../src/index';
import { mapSageMakerError } from '../../src/nestjs/sagemaker-error-mapping';

const meta = (httpStatusCode: number) => ({ httpStatusCode, requestId: `req-${httpStatusCode}` });

describe('mapSageMakerError', () => {
  it('answers throttling with 429 and Retry-After rounded up from the service hint', () => {
    const error = new SageMakerRuntimeError({ name: 'ThrottlingException', message: 'slow down', $metadata: meta(400), retryAfterMs: 2_100 });
    expect(error.throttling).toBe(true);
    expect(mapSageMakerError(error)).toEqual({
      status: 429,
      headers: { 'Retry-After': '3', 'x-amzn-RequestId': 'req-400' },
      body: { statusCode: 429, error: 'ThrottlingException', message: 'slow down', requestId: 'req-400' },
    });
  });

  it('answers throttling without a hint with Retry-After 1', () => {
    const error = new SageMakerRuntimeError({ name: 'ThrottlingException', message: 'slow down', $metadata: meta(429) });
    expect(mapSageMakerError(error).headers['Retry-After']).toBe('1');
  });

  it('answers a model error with 424, the model status and the request id', () => {
    const error = new ModelError({ message: 'boom', $metadata: meta(424), OriginalStatusCode: 503 } as ConstructorParameters<typeof ModelError>[0]);
    const mapped = mapSageMakerError(error);
    expect(mapped.status).toBe(424);
    expect(mapped.body).toMatchObject({ error: 'ModelError', requestId: 'req-424', originalStatusCode: 503 });
  });

  it.each([
    ['ValidationError', 400, () => new ValidationError({ message: 'bad', $metadata: meta(400) } as ConstructorParameters<typeof ValidationError>[0])],
    ['InvalidRequestError', 400, () => new InvalidRequestError({ message: 'bad member', member: 'Body', rule: 'required' } as ConstructorParameters<typeof InvalidRequestError>[0])],
    ['ServiceUnavailable', 503, () => new ServiceUnavailable({ message: 'down', $metadata: meta(503) } as ConstructorParameters<typeof ServiceUnavailable>[0])],
    ['InternalFailure', 502, () => new InternalFailure({ message: 'oops', $metadata: meta(500) } as ConstructorParameters<typeof InternalFailure>[0])],
    ['NetworkError', 502, () => new NetworkError({ message: 'reset', code: 'ECONNRESET' })],
    ['TimeoutError', 504, () => new TimeoutError({ phase: 'headers', ms: 10, message: 'late' })],
  ])('answers %s with %i', (_name, status, make) => {
    expect(mapSageMakerError(make()).status).toBe(status);
  });

  it('answers ModelNotReadyException (a 429, classified as throttling) with 429 and Retry-After', () => {
    const error = new ModelNotReadyException({ message: 'warming up', $metadata: meta(429) } as ConstructorParameters<typeof ModelNotReadyException>[0]);
    const mapped = mapSageMakerError(error);
    expect(mapped.status).toBe(429);
    expect(mapped.headers['Retry-After']).toBe('1');
  });

  it('leaves the request id out when the failure had no response', () => {
    const mapped = mapSageMakerError(new NetworkError({ message: 'refused', code: 'ECONNREFUSED' }));
    expect(mapped.headers).toEqual({});
    expect('requestId' in mapped.body).toBe(false);
  });
});
