/**
 * Micro-benchmark of the signing path alone (no I/O), to split a signing client's CPU cost:
 * `@smithy/signature-v4` as the bench's undici+signer client uses it, with the payload hash
 * precomputed, with a minimal node-crypto SHA-256 class, and sagemaker-rx's own request signer.
 *
 *   npx tsx bench/micro/signing.ts [--iterations 20000] [--body 1024]
 */
import { createHash, createHmac, type Hash as NodeHash, type Hmac } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { benchCredentials, BENCH_REGION } from '../clients/bench-client.js';
import { makeBody } from '../lib/body.js';
import { median } from '../lib/stats.js';
import { createRequestSigner } from '../../src/signing/request-signer.js';
import { SIGNING_CRYPTO } from '../../src/platform/signing-crypto.js';

class NodeSha256 {
  private readonly hash: NodeHash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret as string | Uint8Array);
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(data as string | Uint8Array);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }
}

/**
 * `NodeSha256`, plus a memo of HMACs of short string inputs: `@smithy/signature-v4` computes
 * HMAC(secretAccessKey, accessKeyId) on every `sign()` only to build its signing-key cache key.
 */
class MemoSha256 extends NodeSha256 {
  private static readonly memo = new Map<string, Uint8Array>();
  private readonly memoKey: string | undefined;
  private data = '';
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    super(secret);
    this.memoKey = typeof secret === 'string' && secret.length <= 128 ? secret : undefined;
  }
  override update(data: string | ArrayBuffer | ArrayBufferView): void {
    if (this.memoKey !== undefined && typeof data === 'string' && data.length <= 128) this.data = data;
    else super.update(data);
  }
  override digest(): Promise<Uint8Array> {
    if (this.memoKey === undefined || this.data === '') return super.digest();
    const key = `${this.memoKey}\n${this.data}`;
    let out = MemoSha256.memo.get(key);
    if (out === undefined) {
      out = createHmac('sha256', this.memoKey).update(this.data).digest();
      MemoSha256.memo.set(key, out);
    }
    return Promise.resolve(out);
  }
}

type Case = [name: string, run: () => Promise<unknown>];

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) || fallback : fallback;
}

async function main(): Promise<void> {
  const iterations = flag('--iterations', 20_000);
  const body = makeBody(flag('--body', 1024));
  const host = '127.0.0.1:8080';
  const path = '/endpoints/bench-endpoint/invocations';
  const base = { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 8080, path, query: {} };
  const smithy = new SignatureV4({ service: 'sagemaker', region: BENCH_REGION, credentials: benchCredentials(), sha256: Hash.bind(null, 'sha256') });
  const lean = new SignatureV4({ service: 'sagemaker', region: BENCH_REGION, credentials: benchCredentials(), sha256: NodeSha256 });
  const memo = new SignatureV4({ service: 'sagemaker', region: BENCH_REGION, credentials: benchCredentials(), sha256: MemoSha256 });
  const hashHex = (): string => createHash('sha256').update(body).digest('hex');

  const cases: Case[] = [
    ['node createHash(sha256) of the body only', async () => hashHex()],
    ['smithy sign, hash-node, signer hashes the body', () => smithy.sign({ ...base, headers: { host, 'content-type': 'application/json' }, body })],
    ['smithy sign, hash-node, x-amz-content-sha256 given', () => smithy.sign({ ...base, headers: { host, 'content-type': 'application/json', 'x-amz-content-sha256': hashHex() }, body })],
    ['smithy sign, node-crypto sha256 class, hash given', () => lean.sign({ ...base, headers: { host, 'content-type': 'application/json', 'x-amz-content-sha256': hashHex() }, body })],
    ['smithy sign, + memoised credentials HMAC, hash given', () => memo.sign({ ...base, headers: { host, 'content-type': 'application/json', 'x-amz-content-sha256': hashHex() }, body })],
  ];
  const signer = createRequestSigner({ region: BENCH_REGION, credentials: async () => benchCredentials() });
  const endpoint = new URL(`http://${host}`);
  cases.push(['sagemaker-rx createRequestSigner without crypto (SignatureV4.sign, as browsers): payloadHash + sign', async () => {
    const payloadHash = await signer.payloadHash(body);
    return signer.sign({ method: 'POST', endpoint, path, headers: { 'content-type': 'application/json' }, payloadHash });
  }]);

  // The client's signer: the per-input template (headers object reused, as retries reuse it) over node:crypto.
  const templateSigner = createRequestSigner({ region: BENCH_REGION, credentials: async () => benchCredentials(), crypto: SIGNING_CRYPTO });
  cases.push(['sagemaker-rx template signer: payloadHash + sign, new input each time', async () => {
    const payloadHash = await templateSigner.payloadHash(body);
    return templateSigner.sign({ method: 'POST', endpoint, path, headers: { 'content-type': 'application/json' }, payloadHash });
  }]);
  const retriedHeaders = { 'content-type': 'application/json' };
  const retriedHash = hashHex();
  cases.push(['sagemaker-rx template signer: sign only, same input (a retry)', () =>
    templateSigner.sign({ method: 'POST', endpoint, path, headers: retriedHeaders, payloadHash: retriedHash })]);

  process.stdout.write(`signing micro-benchmark: body ${body.length} B, ${iterations} iterations × 5 runs, median µs per op (CPU of this process)\n`);
  for (const [name, run] of cases) {
    for (let i = 0; i < 2000; i += 1) await run(); // warm-up
    const perOp: number[] = [];
    for (let r = 0; r < 5; r += 1) {
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < iterations; i += 1) await run();
      const cpu = process.cpuUsage(cpu0);
      perOp.push((cpu.user + cpu.system) / iterations);
    }
    process.stdout.write(`  ${median(perOp).toFixed(1).padStart(7)} µs  ${name}\n`);
  }
}

void main();
