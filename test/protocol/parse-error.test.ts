import {
  InternalDependencyException,
  InternalFailure,
  ModelError,
  ModelNotReadyException,
  ModelStreamError,
  ServiceError,
  ServiceUnavailable,
  ValidationError,
} from '../../src/errors/service-errors';
import { SageMakerRuntimeError } from '../../src/errors/sagemaker-runtime-error';
import { errorCodeOf, nameFromStatus, parseErrorResponse, sanitizeErrorCode } from '../../src/protocol/parse-error';

const bytes = (s: string) => new TextEncoder().encode(s);
const parse = (statusCode: number, headers: Record<string, string>, body: string, operation?: Parameters<typeof parseErrorResponse>[1]) =>
  parseErrorResponse({ statusCode, headers, body: bytes(body) }, operation);

describe('sanitizeErrorCode', () => {
  it.each([
    ['ValidationError', 'ValidationError'],
    ['ValidationError:http://internal.amazon.com/coral/com.amazon.sagemaker/', 'ValidationError'],
    ['com.amazonaws.sagemakerruntime#ModelError', 'ModelError'],
    ['aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/', 'FooError'],
    ['ThrottlingException,SomethingElse', 'ThrottlingException'],
    [404, '404'],
    ['', undefined],
    [undefined, undefined],
    [{}, undefined],
  ])('%j → %j', (raw, expected) => {
    expect(sanitizeErrorCode(raw)).toBe(expected);
  });
});

describe('errorCodeOf', () => {
  it('prefers the header, then body code/Code, then __type', () => {
    expect(errorCodeOf({ 'x-amzn-errortype': 'A' }, { code: 'B', __type: 'C' })).toBe('A');
    expect(errorCodeOf({}, { code: 'B', __type: 'C' })).toBe('B');
    expect(errorCodeOf({}, { Code: 'B2', __type: 'C' })).toBe('B2');
    expect(errorCodeOf({}, { __type: 'ns#C' })).toBe('C');
    expect(errorCodeOf({}, {})).toBeUndefined();
    expect(errorCodeOf({}, undefined)).toBeUndefined();
  });
});

describe('parseErrorResponse', () => {
  it('builds a ModelError with its modelled members from a decorated header', () => {
    const error = parse(
      424,
      { 'x-amzn-errortype': 'ModelError:http://internal.amazon.com/coral/com.amazon.sagemaker/', 'x-amzn-requestid': 'req-9' },
      JSON.stringify({
        ErrorCode: 'CLIENT_ERROR_FROM_MODEL',
        LogStreamArn: 'arn:aws:logs:us-east-1:1:log-group:/aws/sagemaker/Endpoints/e',
        Message: 'Received client error (400) from primary with message "bad"',
        OriginalMessage: 'bad',
        OriginalStatusCode: 400,
      }),
    ) as ModelError;
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toBeInstanceOf(SageMakerRuntimeError);
    expect(error.name).toBe('ModelError');
    expect(error.message).toBe('Received client error (400) from primary with message "bad"');
    expect(error.Message).toBe(error.message);
    expect(error.OriginalStatusCode).toBe(400);
    expect(error.OriginalMessage).toBe('bad');
    expect(error.LogStreamArn).toContain('Endpoints/e');
    expect(error.ErrorCode).toBe('CLIENT_ERROR_FROM_MODEL');
    expect(error.$metadata).toEqual({ httpStatusCode: 424, requestId: 'req-9', attempts: 1, totalRetryDelay: 0 });
    expect(error.$fault).toBe('client');
    expect([error.retryable, error.throttling]).toEqual([false, false]);
  });

  it('reads a lower-case message into error.message but not the modelled Message member', () => {
    const error = parse(400, { 'x-amzn-errortype': 'ValidationError' }, '{"message":"Endpoint x of account 1 not found."}') as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe('Endpoint x of account 1 not found.');
    expect(error.Message).toBeUndefined();
  });

  it('takes the code from ns#Code:uri in the header', () => {
    const error = parse(503, { 'x-amzn-errortype': 'com.amazonaws.sagemakerruntime#ServiceUnavailable:http://x/' }, '{"Message":"down"}');
    expect(error).toBeInstanceOf(ServiceUnavailable);
    expect(error.message).toBe('down');
    expect(error.$fault).toBe('server');
    expect(error.retryable).toBe(true);
  });

  it.each([
    ['code', '{"code":"ModelNotReadyException","message":"not ready"}', ModelNotReadyException],
    ['Code', '{"Code":"InternalFailure","Message":"boom"}', InternalFailure],
    ['__type', '{"__type":"com.amazonaws.sagemakerruntime#InternalDependencyException","Message":"dep"}', InternalDependencyException],
  ])('takes the code from body %s when there is no header', (_key, body, Class) => {
    expect(parse(429, {}, body)).toBeInstanceOf(Class);
  });

  it('keeps a code that names an Object.prototype member as a ServiceError', () => {
    const error = parse(400, { 'x-amzn-errortype': 'constructor' }, '{"message":"odd"}');
    expect(error).toBeInstanceOf(ServiceError);
    expect([error.name, error.message]).toEqual(['constructor', 'odd']);
  });

  it('keeps an unknown code as the name of a ServiceError, with the body', () => {
    const error = parse(400, { 'x-amzn-errortype': 'ThrottlingException' }, '{"message":"Rate exceeded","extra":1}') as ServiceError;
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.name).toBe('ThrottlingException');
    expect(error.message).toBe('Rate exceeded');
    expect(error.body).toEqual({ message: 'Rate exceeded', extra: 1 });
    expect([error.retryable, error.throttling]).toEqual([true, true]);
  });

  it('builds ModelStreamError with ErrorCode when it comes as an HTTP error', () => {
    const error = parse(400, { 'x-amzn-errortype': 'ModelStreamError' }, '{"Message":"late","ErrorCode":"ModelInvocationTimeExceeded"}') as ModelStreamError;
    expect(error).toBeInstanceOf(ModelStreamError);
    expect(error.ErrorCode).toBe('ModelInvocationTimeExceeded');
  });

  it('turns a non-JSON HTML 502 into a typed, retryable error with the status and a snippet', () => {
    const html = `<html>\n<head><title>502 Bad Gateway</title></head>\n<body>${'x'.repeat(1000)}</body></html>`;
    const error = parse(502, { 'content-type': 'text/html' }, html) as ServiceError;
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.name).toBe('Unknown');
    expect(error.message.startsWith('HTTP 502 with a non-JSON body: <html> <head><title>502 Bad Gateway</title></head>')).toBe(true);
    expect(error.message.length).toBeLessThan(260);
    expect(error.body).toBeUndefined();
    expect(error.$metadata.httpStatusCode).toBe(502);
    expect(error.$fault).toBe('server');
    expect(error.retryable).toBe(true);
  });

  it('names an error without a code after the one modelled error for its status', () => {
    const error = parse(503, {}, '');
    expect(error).toBeInstanceOf(ServiceUnavailable);
    expect(error.message).toBe('ServiceUnavailable: HTTP 503 with no message');
    expect(parse(424, {}, '{}')).toBeInstanceOf(ModelError);
    expect(parse(500, {}, 'Internal Server Error')).toBeInstanceOf(InternalFailure);
  });

  it('calls an error without a code Unknown when its status is ambiguous or unmodelled', () => {
    expect(parse(403, {}, '').name).toBe('Unknown');
    expect(parse(404, {}, '{"message":"no route"}').name).toBe('Unknown');
    expect(nameFromStatus(429, 'InvokeEndpoint')).toBe('ModelNotReadyException');
    expect(nameFromStatus(429, 'InvokeEndpointAsync')).toBe('Unknown');
    expect(nameFromStatus(530, 'InvokeEndpointWithResponseStream')).toBe('Unknown');
    expect(nameFromStatus(418)).toBe('Unknown');
  });

  it('keeps the server retry hint', () => {
    expect(parse(503, { 'retry-after': '2' }, '{}').retryAfterMs).toBe(2000);
    expect(parse(429, { 'x-amz-retry-after': '250' }, '{}').retryAfterMs).toBe(250);
    expect(parse(503, {}, '{}').retryAfterMs).toBeUndefined();
  });

  it('treats an expired signature as transient and other signature errors as final', () => {
    const expired = parse(403, { 'x-amzn-errortype': 'InvalidSignatureException' }, '{"message":"Signature expired: 20260101T000000Z is now earlier than ..."}');
    expect([expired.name, expired.retryable]).toEqual(['InvalidSignatureException', true]);
    const wrong = parse(403, { 'x-amzn-errortype': 'InvalidSignatureException' }, '{"message":"The request signature we calculated does not match"}');
    expect([wrong.name, wrong.retryable]).toEqual(['InvalidSignatureException', false]);
  });

  it('passes the attempt count into $metadata', () => {
    expect(parseErrorResponse({ statusCode: 500, headers: {}, body: new Uint8Array() }, { attempts: 3 }).$metadata.attempts).toBe(3);
  });
});
