/**
 * Bare undici + `@smithy/signature-v4`: one signer per client (node's SHA-256, service
 * `sagemaker`, static credentials), each request signed with a fresh date, sent through a `Pool`.
 * The floor of what a signing client can cost.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { Pool } from 'undici';
import { assertSuccess, BENCH_CONTENT_TYPE, benchCredentials, BENCH_REGION, type BenchClient, type BenchTarget } from './bench-client.js';

export function createClient(target: BenchTarget): BenchClient {
  const url = new URL(target.url);
  const pool = new Pool(url.origin, { connections: target.concurrency, pipelining: 1 });
  const signer = new SignatureV4({
    service: 'sagemaker',
    region: BENCH_REGION,
    credentials: benchCredentials(),
    sha256: Hash.bind(null, 'sha256'),
  });
  const path = `/endpoints/${target.endpointName}/invocations`;
  return {
    async invoke() {
      const signed = await signer.sign({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        port: Number(url.port),
        path,
        query: {},
        headers: { host: url.host, 'content-type': BENCH_CONTENT_TYPE },
        body: target.body,
      });
      const res = await pool.request({ method: 'POST', path, headers: signed.headers, body: target.body });
      const bytes = await res.body.bytes();
      assertSuccess('undici+signer', res.statusCode, res.headers['x-amzn-invoked-production-variant'] as string | undefined);
      if (bytes.length === 0) throw new Error('undici+signer: empty body');
    },
    close: () => pool.close(),
  };
}
