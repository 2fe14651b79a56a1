import {
  deserializeInvokeEndpoint,
  deserializeInvokeEndpointAsync,
  deserializeStreamHeaders,
  parseJsonObject,
  responseMetadata,
} from '../../src/protocol/deserialize';
import { retryAfterMs } from '../../src/protocol/retry-hint';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('deserializeInvokeEndpoint', () => {
  it('reads the body and every output member from its header', () => {
    const body = bytes('{"label":"POSITIVE"}');
    const output = deserializeInvokeEndpoint({
      statusCode: 200,
      headers: {
        'content-type': 'application/json',
        'x-amzn-invoked-production-variant': 'AllTraffic',
        'x-amzn-sagemaker-custom-attributes': 'c=1',
        'x-amzn-sagemaker-new-session-id': 'sess-1; Expires=2026-01-01T00:00:00Z',
        'x-amzn-sagemaker-closed-session-id': 'sess-0',
        'x-amzn-requestid': 'req-1',
        'x-unrelated': 'ignored',
      },
      body,
    });
    expect(output).toEqual({
      Body: body,
      ContentType: 'application/json',
      InvokedProductionVariant: 'AllTraffic',
      CustomAttributes: 'c=1',
      NewSessionId: 'sess-1; Expires=2026-01-01T00:00:00Z',
      ClosedSessionId: 'sess-0',
      $metadata: { httpStatusCode: 200, requestId: 'req-1', attempts: 1, totalRetryDelay: 0 },
    });
    expect(output.Body).toBe(body);
  });

  it('leaves absent members out and keeps an empty CustomAttributes', () => {
    const output = deserializeInvokeEndpoint({ statusCode: 200, headers: { 'x-amzn-sagemaker-custom-attributes': '' }, body: new Uint8Array() });
    expect(Object.keys(output).sort()).toEqual(['$metadata', 'Body', 'CustomAttributes']);
    expect(output.CustomAttributes).toBe('');
    expect(output.$metadata.requestId).toBeUndefined();
  });
});

describe('responseMetadata', () => {
  it.each([
    [{ 'x-amzn-requestid': 'a', 'x-amzn-request-id': 'b', 'x-amz-request-id': 'c' }, 'a'],
    [{ 'x-amzn-request-id': 'b', 'x-amz-request-id': 'c' }, 'b'],
    [{ 'x-amz-request-id': 'c' }, 'c'],
  ])('takes the request id from %j', (headers, expected) => {
    expect(responseMetadata({ statusCode: 200, headers }, 2)).toEqual({ httpStatusCode: 200, requestId: expected, attempts: 2, totalRetryDelay: 0 });
  });
});

describe('deserializeStreamHeaders', () => {
  it('reads ContentType from x-amzn-sagemaker-content-type, not the event-stream content-type', () => {
    expect(
      deserializeStreamHeaders({
        statusCode: 200,
        headers: {
          'content-type': 'application/vnd.amazon.eventstream',
          'x-amzn-sagemaker-content-type': 'text/event-stream',
          'x-amzn-invoked-production-variant': 'v1',
          'x-amzn-sagemaker-custom-attributes': 'c',
          'x-amzn-requestid': 'r',
        },
      }),
    ).toEqual({ ContentType: 'text/event-stream', InvokedProductionVariant: 'v1', CustomAttributes: 'c', $metadata: { httpStatusCode: 200, requestId: 'r', attempts: 1, totalRetryDelay: 0 } });
  });
});

describe('deserializeInvokeEndpointAsync', () => {
  it('reads InferenceId from the JSON body and the locations from headers', () => {
    expect(
      deserializeInvokeEndpointAsync({
        statusCode: 202,
        headers: {
          'content-type': 'application/json',
          'x-amzn-sagemaker-outputlocation': 's3://b/out/1.out',
          'x-amzn-sagemaker-failurelocation': 's3://b/fail/1.out',
          'x-amzn-requestid': 'r2',
        },
        body: bytes('{"InferenceId":"inf-1"}'),
      }),
    ).toEqual({
      InferenceId: 'inf-1',
      OutputLocation: 's3://b/out/1.out',
      FailureLocation: 's3://b/fail/1.out',
      $metadata: { httpStatusCode: 202, requestId: 'r2', attempts: 1, totalRetryDelay: 0 },
    });
  });
  it('treats an empty body as {}', () => {
    const output = deserializeInvokeEndpointAsync({ statusCode: 202, headers: {}, body: new Uint8Array() });
    expect(output.InferenceId).toBeUndefined();
    expect(output.$metadata.httpStatusCode).toBe(202);
  });
});

describe('parseJsonObject', () => {
  it('parses objects only', () => {
    expect(parseJsonObject(bytes('{"a":1}'))).toEqual({ a: 1 });
    expect(parseJsonObject(bytes('  '))).toEqual({});
    expect(parseJsonObject(bytes('[1]'))).toBeUndefined();
    expect(parseJsonObject(bytes('<html>'))).toBeUndefined();
    expect(parseJsonObject(bytes('"s"'))).toBeUndefined();
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it('reads x-amz-retry-after in ms first', () => {
    expect(retryAfterMs({ 'x-amz-retry-after': '1500', 'retry-after': '9' }, now)).toBe(1500);
  });
  it('reads retry-after in seconds', () => {
    expect(retryAfterMs({ 'retry-after': '3' }, now)).toBe(3000);
  });
  it('reads retry-after as an HTTP date, never negative', () => {
    expect(retryAfterMs({ 'retry-after': 'Sun, 01 Mar 2026 12:00:05 GMT' }, now)).toBe(5000);
    expect(retryAfterMs({ 'retry-after': 'Sun, 01 Mar 2026 11:00:00 GMT' }, now)).toBe(0);
  });
  it('ignores missing or garbled hints', () => {
    expect(retryAfterMs({}, now)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs({ 'x-amz-retry-after': '-1' }, now)).toBeUndefined();
  });
});
