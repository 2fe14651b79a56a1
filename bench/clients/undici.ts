/**
 * Bare undici: a `Pool` with `connections` = concurrency, `pool.request`, no signing. The ceiling.
 */
import { Pool } from 'undici';
import { assertSuccess, BENCH_CONTENT_TYPE, type BenchClient, type BenchTarget } from './bench-client.js';

export function createClient(target: BenchTarget): BenchClient {
  const pool = new Pool(target.url, { connections: target.concurrency, pipelining: 1 });
  const path = `/endpoints/${target.endpointName}/invocations`;
  const headers = { 'content-type': BENCH_CONTENT_TYPE };
  return {
    async invoke() {
      const res = await pool.request({ method: 'POST', path, headers, body: target.body });
      const bytes = await res.body.bytes();
      assertSuccess('undici', res.statusCode, res.headers['x-amzn-invoked-production-variant'] as string | undefined);
      if (bytes.length === 0) throw new Error('undici: empty body');
    },
    close: () => pool.close(),
  };
}
