import { createHash } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { redactHeaders } from '../../src/signing/redact';
import { createRequestSigner, type Sha256Constructor } from '../../src/signing/request-signer';

// Counts what the signer hashes: keyed constructions are HMACs, unkeyed ones plain SHA-256.
function countingSha256() {
  const counts = { hmac: 0, sha256: 0 };
  class Counting {
    private readonly inner: Hash;
    constructor(secret?: string | Uint8Array) {
      if (secret === undefined) counts.sha256++;
      else counts.hmac++;
      this.inner = new Hash('sha256', secret as never);
    }
    update(data: string | Uint8Array) {
      this.inner.update(data);
    }
    digest() {
      return this.inner.digest();
    }
  }
  return { counts, sha256: Counting as unknown as Sha256Constructor };
}

const endpoint = new URL('http://127.0.0.1:4567');
const date = new Date('2026-03-01T12:00:00Z');

describe('request signer', () => {
  it('signs with the given payload hash and never hashes the body itself', async () => {
    const { counts, sha256 } = countingSha256();
    const signer = createRequestSigner({ region: 'us-east-1', credentials: async () => ({ accessKeyId: 'AKIDHASH', secretAccessKey: 's1' }), sha256 });
    const body = new TextEncoder().encode('x'.repeat(10_000));
    const payloadHash = await signer.payloadHash(body);
    expect(payloadHash).toBe(createHash('sha256').update(body).digest('hex'));
    expect(counts.sha256).toBe(1);
    const headers = await signer.sign({ method: 'POST', endpoint, path: '/endpoints/e/invocations', headers: { 'content-length': '10000' }, payloadHash }, date);
    expect(headers['x-amz-content-sha256']).toBe(payloadHash);
    // One plain SHA-256 for the payload (above) and one for the canonical request; none for the body again.
    expect(counts.sha256).toBe(2);
  });

  it('computes the well-known hash of an empty body', async () => {
    const signer = createRequestSigner({ region: 'us-east-1', credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }) });
    expect(await signer.payloadHash(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('derives the signing key once and reuses it for later attempts the same day', async () => {
    const { counts, sha256 } = countingSha256();
    const signer = createRequestSigner({ region: 'eu-west-1', credentials: async () => ({ accessKeyId: 'AKIDCACHE', secretAccessKey: 'unique-secret-for-cache-test' }), sha256 });
    const request = { method: 'POST', endpoint, path: '/endpoints/e/invocations', headers: {}, payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' };
    await signer.sign(request, date);
    // Key derivation: 1 HMAC for the cache key + 4 for the key chain; then 1 for the signature.
    expect(counts.hmac).toBe(6);
    await signer.sign(request, new Date(date.getTime() + 60_000));
    // Cached: 1 HMAC for the cache key, 1 for the signature.
    expect(counts.hmac).toBe(8);
    await signer.sign(request, new Date(date.getTime() + 86_400_000));
    // A new day needs a new key.
    expect(counts.hmac).toBe(14);
  });

  it('signs each attempt with its own date', async () => {
    const signer = createRequestSigner({ region: 'us-east-1', credentials: async () => ({ accessKeyId: 'AKIDDATE', secretAccessKey: 's' }) });
    const request = { method: 'POST', endpoint, path: '/endpoints/e/invocations', headers: {}, payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' };
    const a = await signer.sign(request, date);
    const b = await signer.sign(request, new Date(date.getTime() + 1000));
    expect(a['x-amz-date']).toBe('20260301T120000Z');
    expect(b['x-amz-date']).toBe('20260301T120001Z');
    expect(a.authorization).not.toBe(b.authorization);
  });

  it('adds host from the endpoint, the session token, and an unsigned user-agent', async () => {
    const signer = createRequestSigner({ region: 'us-east-1', credentials: async () => ({ accessKeyId: 'AKIDTOK', secretAccessKey: 's', sessionToken: 'session-token' }) });
    const headers = await signer.sign(
      { method: 'POST', endpoint, path: '/endpoints/e/invocations', headers: { 'content-type': 'application/json' }, payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
      date,
    );
    expect(headers.host).toBe('127.0.0.1:4567');
    expect(headers['x-amz-security-token']).toBe('session-token');
    expect(headers['user-agent']).toMatch(/^sagemaker-rx\/\d+\.\d+\.\d+/);
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTOK\/20260301\/us-east-1\/sagemaker\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
  });

  it('fails with the credential resolver’s error', async () => {
    const signer = createRequestSigner({
      region: 'us-east-1',
      credentials: async () => {
        throw new Error('no credentials');
      },
    });
    await expect(signer.sign({ method: 'POST', endpoint, path: '/', headers: {}, payloadHash: 'x' })).rejects.toThrow('no credentials');
  });
});

describe('redactHeaders', () => {
  it('redacts authorization and x-amz-security-token in any case, and nothing else', () => {
    const input = { Authorization: 'AWS4-HMAC-SHA256 ...', 'x-amz-security-token': 'tok', 'X-Amz-Security-Token': 'tok2', 'x-amz-date': 'd', host: 'h' };
    expect(redactHeaders(input)).toEqual({ Authorization: '[redacted]', 'x-amz-security-token': '[redacted]', 'X-Amz-Security-Token': '[redacted]', 'x-amz-date': 'd', host: 'h' });
    expect(input.Authorization).toBe('AWS4-HMAC-SHA256 ...');
  });
});
