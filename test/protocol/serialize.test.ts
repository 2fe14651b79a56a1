import { requestUrl, serializeRequest } from '../../src/protocol/serialize';

describe('serializeRequest', () => {
  it('maps every InvokeEndpoint member to its wire header', () => {
    const req = serializeRequest('InvokeEndpoint', {
      EndpointName: 'ep-1',
      Body: '{"a":1}',
      ContentType: 'application/json',
      Accept: 'text/csv',
      CustomAttributes: 'c=1',
      TargetModel: 'm.tar.gz',
      TargetVariant: 'v1',
      TargetContainerHostname: 'h1',
      InferenceId: 'i1',
      EnableExplanations: '`true`',
      InferenceComponentName: 'ic1',
      SessionId: 'NEW_SESSION',
      PrefixAwareId: 'p1',
    } as never);
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/endpoints/ep-1/invocations');
    expect(req.headers).toEqual({
      'content-type': 'application/json',
      accept: 'text/csv',
      'x-amzn-sagemaker-custom-attributes': 'c=1',
      'x-amzn-sagemaker-target-model': 'm.tar.gz',
      'x-amzn-sagemaker-target-variant': 'v1',
      'x-amzn-sagemaker-target-container-hostname': 'h1',
      'x-amzn-sagemaker-inference-id': 'i1',
      'x-amzn-sagemaker-enable-explanations': '`true`',
      'x-amzn-sagemaker-inference-component': 'ic1',
      'x-amzn-sagemaker-session-id': 'NEW_SESSION',
      'x-amzn-sagemaker-prefix-aware-id': 'p1',
      'content-length': '7',
    });
    expect(new TextDecoder().decode(req.body)).toBe('{"a":1}');
  });

  it('maps every streaming member to its wire header, Accept to x-amzn-sagemaker-accept', () => {
    const req = serializeRequest('InvokeEndpointWithResponseStream', {
      EndpointName: 'ep-2',
      Body: 'x',
      ContentType: 'application/json',
      Accept: 'text/event-stream',
      CustomAttributes: 'c',
      TargetVariant: 'v',
      TargetContainerHostname: 'h',
      InferenceId: 'i',
      InferenceComponentName: 'ic',
      SessionId: 's-1',
      PrefixAwareId: 'p',
    } as never);
    expect(req.path).toBe('/endpoints/ep-2/invocations-response-stream');
    expect(req.headers).toEqual({
      'content-type': 'application/json',
      'x-amzn-sagemaker-accept': 'text/event-stream',
      'x-amzn-sagemaker-custom-attributes': 'c',
      'x-amzn-sagemaker-target-variant': 'v',
      'x-amzn-sagemaker-target-container-hostname': 'h',
      'x-amzn-sagemaker-inference-id': 'i',
      'x-amzn-sagemaker-inference-component': 'ic',
      'x-amzn-sagemaker-session-id': 's-1',
      'x-amzn-sagemaker-prefix-aware-id': 'p',
      'content-length': '1',
    });
  });

  it('maps every async member, integers as decimal strings, ContentType to x-amzn-sagemaker-content-type', () => {
    const req = serializeRequest('InvokeEndpointAsync', {
      EndpointName: 'ep-3',
      ContentType: 'text/csv',
      Accept: 'application/json',
      CustomAttributes: 'c',
      InferenceId: 'i',
      InputLocation: 's3://b/k',
      S3OutputPathExtension: 'out/x',
      Filename: 'f.json',
      RequestTTLSeconds: 600,
      InvocationTimeoutSeconds: 1800,
    } as never);
    expect(req.path).toBe('/endpoints/ep-3/async-invocations');
    expect(req.headers).toEqual({
      'x-amzn-sagemaker-content-type': 'text/csv',
      'x-amzn-sagemaker-accept': 'application/json',
      'x-amzn-sagemaker-custom-attributes': 'c',
      'x-amzn-sagemaker-inference-id': 'i',
      'x-amzn-sagemaker-inputlocation': 's3://b/k',
      'x-amzn-sagemaker-s3outputpathextension': 'out/x',
      'x-amzn-sagemaker-filename': 'f.json',
      'x-amzn-sagemaker-requestttlseconds': '600',
      'x-amzn-sagemaker-invocationtimeoutseconds': '1800',
      'content-length': '0',
    });
    // Only InputLocation: an empty body and no HTTP content type.
    expect(req.body.byteLength).toBe(0);
  });

  it('sends an inline async Body as application/octet-stream', () => {
    const req = serializeRequest('InvokeEndpointAsync', { EndpointName: 'e', Body: 'abc', ContentType: 'text/plain' } as never);
    expect(req.headers['content-type']).toBe('application/octet-stream');
    expect(req.headers['x-amzn-sagemaker-content-type']).toBe('text/plain');
    expect(req.headers['content-length']).toBe('3');
  });

  it('defaults content-type to application/octet-stream on InvokeEndpoint and the streaming operation', () => {
    expect(serializeRequest('InvokeEndpoint', { EndpointName: 'e', Body: 'x' }).headers['content-type']).toBe('application/octet-stream');
    expect(serializeRequest('InvokeEndpointWithResponseStream', { EndpointName: 'e', Body: 'x' }).headers['content-type']).toBe('application/octet-stream');
  });

  it('leaves out members that are undefined or null, and keeps an empty string', () => {
    const req = serializeRequest('InvokeEndpoint', { EndpointName: 'e', Body: 'x', Accept: undefined, TargetVariant: null, CustomAttributes: '' } as never);
    expect(req.headers).not.toHaveProperty('accept');
    expect(req.headers).not.toHaveProperty('x-amzn-sagemaker-target-variant');
    expect(req.headers['x-amzn-sagemaker-custom-attributes']).toBe('');
  });

  it('encodes a string body as UTF-8 and counts its bytes', () => {
    const req = serializeRequest('InvokeEndpoint', { EndpointName: 'e', Body: 'héllo 😀' });
    expect(Array.from(req.body)).toEqual(Array.from(Buffer.from('héllo 😀', 'utf8')));
    expect(req.headers['content-length']).toBe(String(Buffer.byteLength('héllo 😀')));
  });

  it('passes bytes through without copying', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(serializeRequest('InvokeEndpoint', { EndpointName: 'e', Body: bytes }).body).toBe(bytes);
    const buffer = Buffer.from('abc');
    expect(serializeRequest('InvokeEndpoint', { EndpointName: 'e', Body: buffer }).body).toBe(buffer);

    const ab = new ArrayBuffer(8);
    const fromAb = serializeRequest('InvokeEndpoint', { EndpointName: 'e', Body: ab }).body;
    expect(fromAb.buffer).toBe(ab);
    expect(fromAb.byteLength).toBe(8);

    const view = new Int16Array(ab, 2, 2);
    const fromView = serializeRequest('InvokeEndpoint', { EndpointName: 'e', Body: view }).body;
    expect(fromView.buffer).toBe(ab);
    expect([fromView.byteOffset, fromView.byteLength]).toEqual([2, 4]);
  });
});

describe('requestUrl', () => {
  it('keeps the base path of a custom endpoint', () => {
    expect(requestUrl(new URL('http://127.0.0.1:9000/proxy/sm/'), '/endpoints/e/invocations')).toBe('http://127.0.0.1:9000/proxy/sm/endpoints/e/invocations');
    expect(requestUrl(new URL('http://127.0.0.1:9000/proxy'), '/endpoints/e/invocations')).toBe('http://127.0.0.1:9000/proxy/endpoints/e/invocations');
  });
  it('joins a bare host without a double slash', () => {
    expect(requestUrl(new URL('https://runtime.sagemaker.us-east-1.amazonaws.com'), '/endpoints/e/invocations')).toBe(
      'https://runtime.sagemaker.us-east-1.amazonaws.com/endpoints/e/invocations',
    );
  });
});
