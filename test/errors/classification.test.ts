import { CLOCK_SKEW_ERROR_NAMES, classifyError, isClockSkewError, wasNotSent } from '../../src/errors/classification';
import { CredentialsError, InvalidRequestError, NetworkError, TimeoutError } from '../../src/errors/client-errors';
import { ServiceError } from '../../src/errors/service-errors';
import { parseErrorResponse } from '../../src/protocol/parse-error';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('classification of the errors the service and the network produce, as the AWS SDKs classify them', () => {
  // name, HTTP status, retryable, throttling — as aws-sdk-js-v3 standard mode classifies them.
  const table: [string, number, boolean, boolean][] = [
    ['ValidationError', 400, false, false],
    ['ModelError', 424, false, false],
    ['ModelNotReadyException', 429, true, true],
    ['InternalFailure', 500, true, false],
    ['ServiceUnavailable', 503, true, false],
    ['InternalDependencyException', 530, false, false],
    ['ModelStreamError', 400, false, false],
    ['InternalStreamFailure', 500, true, false],
    ['ThrottlingException', 400, true, true],
  ];

  it.each(table)('%s (HTTP %d) is retryable=%s throttling=%s by the table', (name, status, retryable, throttling) => {
    expect(classifyError({ name, httpStatusCode: status })).toEqual({ retryable, throttling });
  });

  it.each(table)('%s (HTTP %d) parsed from the wire is retryable=%s throttling=%s', (name, status, retryable, throttling) => {
    const error = parseErrorResponse({
      statusCode: status,
      headers: { 'x-amzn-errortype': `${name}:http://internal.amazon.com/coral/com.amazon.sagemaker/` },
      body: bytes('{"Message":"m"}'),
    });
    expect(error.name).toBe(name);
    expect({ retryable: error.retryable, throttling: error.throttling }).toEqual({ retryable, throttling });
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])(
    'a NetworkError with %s is transient',
    (code) => {
      const error = new NetworkError({ message: `socket: ${code}`, code });
      expect([error.retryable, error.throttling, error.code]).toEqual([true, false, code]);
    },
  );

  it.each(['connect', 'headers', 'body', 'idle', 'each'] as const)('a TimeoutError in phase %s is transient', (phase) => {
    expect(new TimeoutError({ phase, ms: 10 }).retryable).toBe(true);
  });

  it('a total TimeoutError is the caller’s own limit and not retried', () => {
    expect(new TimeoutError({ phase: 'total', ms: 10 }).retryable).toBe(false);
  });

  it('any 429 is throttling, whatever the code', () => {
    expect(classifyError({ name: 'Unknown', httpStatusCode: 429 })).toEqual({ retryable: true, throttling: true });
  });

  it.each([
    ['RequestLimitExceeded', 400],
    ['TooManyRequestsException', 400],
    ['SlowDown', 503],
  ])('%s is throttling by name', (name, status) => {
    expect(classifyError({ name, httpStatusCode: status })).toEqual({ retryable: true, throttling: true });
  });

  it.each([
    ['Unknown', 502, true],
    ['Unknown', 504, true],
    ['Unknown', 501, false],
    ['Unknown', 400, false],
    ['AccessDeniedException', 403, false],
    ['ExpiredTokenException', 403, false],
    ['UnrecognizedClientException', 403, false],
    ['InvalidSignatureException', 403, false],
    ['RequestTimeout', 408, true],
  ])('%s with HTTP %d is retryable=%s', (name, status, retryable) => {
    expect(classifyError({ name, httpStatusCode: status }).retryable).toBe(retryable);
  });

  it('never retries our own InvalidRequestError and CredentialsError', () => {
    expect(new InvalidRequestError({ member: 'x', rule: 'y' }).retryable).toBe(false);
    expect(new CredentialsError({ message: 'no' }).retryable).toBe(false);
  });

  it('retries an InvalidSignatureException only when the signature expired', () => {
    expect(classifyError({ name: 'InvalidSignatureException', httpStatusCode: 403, message: 'Signature expired: 20260101T000000Z is now earlier than 20260101T000500Z' }).retryable).toBe(true);
    expect(classifyError({ name: 'InvalidSignatureException', httpStatusCode: 403, message: 'does not match' }).retryable).toBe(false);
    expect(classifyError({ name: 'AccessDeniedException', httpStatusCode: 403, message: 'Signature expired' }).retryable).toBe(false);
  });

  it('classifies an error built directly (not parsed) by its message too, as the parser does', () => {
    const $metadata = { httpStatusCode: 403 };
    expect(new ServiceError('InvalidSignatureException', { message: 'Signature expired: 20260101T000000Z is now earlier than 20260101T000500Z', $metadata }).retryable).toBe(true);
    expect(new ServiceError('InvalidSignatureException', { message: 'does not match', $metadata }).retryable).toBe(false);
  });
});

describe('the library\'s own errors in the classification table', () => {
  it('never retries an answer the codec or a reframing operator could not read', () => {
    expect(classifyError({ name: 'BatchDecodeError', httpStatusCode: 200 })).toEqual({ retryable: false, throttling: false });
    expect(classifyError({ name: 'StreamParseError' })).toEqual({ retryable: false, throttling: false });
  });

  it('retries a timeout of one attempt but not the caller\'s total deadline', () => {
    expect(classifyError({ name: 'TimeoutError', timeoutPhase: 'each' }).retryable).toBe(true);
    expect(classifyError({ name: 'TimeoutError', timeoutPhase: 'total' }).retryable).toBe(false);
  });

  it('says which errors were raised before anything was sent', () => {
    expect(wasNotSent({ name: 'InvalidRequestError' })).toBe(true);
    expect(wasNotSent({ name: 'CredentialsError' })).toBe(true);
    expect(wasNotSent({ name: 'ServiceUnavailable' })).toBe(false);
  });
});

describe('the clock-skew names', () => {
  it('are the ones the SDK treats as clock skew (isClockSkewError of @smithy/core/retry)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { isClockSkewError: sdkIsClockSkewError } = require('@smithy/core/retry') as { isClockSkewError: (e: { name: string }) => boolean };
    for (const name of CLOCK_SKEW_ERROR_NAMES) expect([name, sdkIsClockSkewError({ name })]).toEqual([name, true]);
    for (const name of ['ThrottlingException', 'ValidationError', 'ExpiredTokenException']) expect(sdkIsClockSkewError({ name })).toBe(isClockSkewError({ name }));
  });

  it('retries an InvalidSignatureException whose signature is not yet current (a clock ahead)', () => {
    expect(classifyError({ name: 'InvalidSignatureException', httpStatusCode: 403, message: 'Signature not yet current: 20260101T002000Z is still later than 20260101T000500Z' }).retryable).toBe(true);
  });
});
