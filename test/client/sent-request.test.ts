import { inspect } from 'node:util';
import { sentRequest } from '../../src/client/sent-request';

const SIGNATURE = 'f'.repeat(64);
const signed = {
  host: 'h',
  'x-amz-date': '20260301T120000Z',
  'x-amz-security-token': 'session-token-secret',
  authorization: `AWS4-HMAC-SHA256 Credential=AKID/20260301/us-east-1/sagemaker/aws4_request, SignedHeaders=host;x-amz-date, Signature=${SIGNATURE}`,
};
const SECRETS = ['session-token-secret', SIGNATURE, 'Credential='];

describe('the sent event’s request view', () => {
  it('shows the headers redacted, the same object on every read', () => {
    const request = sentRequest('POST', 'http://h/endpoints/e/invocations', signed, 5);
    expect(request).toEqual({
      method: 'POST',
      url: 'http://h/endpoints/e/invocations',
      headers: { host: 'h', 'x-amz-date': '20260301T120000Z', 'x-amz-security-token': '[redacted]', authorization: '[redacted]' },
      bodySize: 5,
    });
    expect(request.headers).toBe(request.headers);
    expect(Object.keys(request)).toEqual(['method', 'url', 'headers', 'bodySize']);
  });

  it.each([
    ['JSON.stringify', (r: object) => JSON.stringify(r)],
    ['util.inspect before any read', (r: object) => inspect(r, { depth: 5, getters: false, showHidden: true })],
    ['util.inspect with getters', (r: object) => inspect(r, { depth: 5, getters: true, showHidden: true })],
    ['a spread', (r: object) => JSON.stringify({ ...r })],
    ['structuredClone', (r: object) => JSON.stringify(structuredClone(r))],
    ['String()', (r: object) => String(r)],
  ])('%s never carries a secret', (_, show) => {
    const text = show(sentRequest('POST', 'http://h/', signed, 0));
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it('takes an assigned value, as a plain object would', () => {
    const request = sentRequest('POST', 'http://h/', signed, 0);
    request.headers = { replaced: 'yes' };
    expect(request.headers).toEqual({ replaced: 'yes' });
  });
});
