/**
 * The contract every benchmarked client implements: one `invoke()` is one complete request
 * (signed if the client signs, body sent, whole response body read). `invoke()` rejects when the
 * answer is not a 200 with the expected body, so a client cannot win by failing fast.
 */

/** Where and how a client sends: the same for every client in a configuration. */
export interface BenchTarget {
  /** Base URL of the bench server, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** Endpoint name in `/endpoints/{name}/invocations`. */
  endpointName: string;
  /** Closed-loop workers, and the connection pool size of the client. */
  concurrency: number;
  /** Request body (a JSON object padded to the configured size). */
  body: Buffer;
}

/** One client under test. */
export interface BenchClient {
  /** Sends one InvokeEndpoint request and reads the whole answer; rejects on anything but success. */
  invoke(): Promise<void>;
  /** Closes pooled connections. */
  close(): Promise<void>;
}

/** Builds a client for a target. */
export type BenchClientFactory = (target: BenchTarget) => BenchClient | Promise<BenchClient>;

/**
 * Static credentials for every signing client. A function, because the AWS SDK writes feature
 * markers onto the credentials object it is given: each client gets its own copy.
 */
export function benchCredentials(): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: 'AKIDBENCHMARK0000000', secretAccessKey: 'bench/secret/key/0000000000000000000000' };
}
export const BENCH_REGION = 'us-east-1';
export const BENCH_CONTENT_TYPE = 'application/json';

/** Fails an invocation whose status or variant header is not what the server sends on success. */
export function assertSuccess(client: string, statusCode: number | undefined, variant: string | undefined): void {
  if (statusCode !== 200 || variant !== 'AllTraffic') {
    throw new Error(`${client}: expected 200 from variant AllTraffic, got ${String(statusCode)} / ${String(variant)}`);
  }
}
