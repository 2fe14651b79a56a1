/**
 * An experiment, not in the default rounds (`--clients undici-signed-lean`): bare undici signed by
 * `@smithy/signature-v4` the cheapest way its public API allows — a minimal SHA-256 class over
 * `node:crypto` (no input casting), the payload hash computed once with `createHash` and passed
 * as `x-amz-content-sha256` (the header the AWS SDK sends anyway), only the headers that must be
 * signed, and no copy of the signed headers. It shows how far a client can lower the signing floor
 * while still signing with the library.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { Pool } from 'undici';
import { assertSuccess, BENCH_CONTENT_TYPE, benchCredentials, BENCH_REGION, type BenchClient, type BenchTarget } from './bench-client.js';

/** `@smithy/signature-v4`'s `sha256` contract over node's hash and HMAC, without conversions. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string' || data instanceof Uint8Array) return data;
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

export function createClient(target: BenchTarget): BenchClient {
  const url = new URL(target.url);
  const pool = new Pool(url.origin, { connections: target.concurrency, pipelining: 1 });
  const signer = new SignatureV4({ service: 'sagemaker', region: BENCH_REGION, credentials: benchCredentials(), sha256: NodeSha256 });
  const path = `/endpoints/${target.endpointName}/invocations`;
  const port = Number(url.port);
  return {
    async invoke() {
      // Once per invocation (a retry would reuse it), with node's own SHA-256.
      const payloadHash = createHash('sha256').update(target.body).digest('hex');
      const signed = await signer.sign({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        port,
        path,
        query: {},
        headers: { host: url.host, 'content-type': BENCH_CONTENT_TYPE, 'x-amz-content-sha256': payloadHash },
        body: target.body,
      });
      const res = await pool.request({ method: 'POST', path, headers: signed.headers, body: target.body });
      const bytes = await res.body.bytes();
      assertSuccess('undici+lean signer', res.statusCode, res.headers['x-amzn-invoked-production-variant'] as string | undefined);
      if (bytes.length === 0) throw new Error('undici+lean signer: empty body');
    },
    close: () => pool.close(),
  };
}
