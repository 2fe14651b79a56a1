// Helpers of the emulator's integration tests: SigV4-sign a request with @smithy/signature-v4
// and send it with undici over a real socket.
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { Agent, request } from 'undici';
import { EMULATOR_CREDENTIALS, type Emulator } from '../../src/emulator/index.js';

export interface SendOptions {
  path?: string;
  method?: 'POST' | 'GET';
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** `false` sends the request unsigned. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | false;
  region?: string;
  service?: string;
  signingDate?: Date;
  /** Headers added after signing (not signed). */
  unsignedHeaders?: Record<string, string>;
  /** Replaces the body after signing (to break the payload hash). */
  bodyAfterSigning?: string | Buffer;
  signal?: AbortSignal;
}

export interface SentResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  json: () => Record<string, unknown>;
}

/** Signs a request the way the AWS SDK does; returns the headers to send. */
export async function signHeaders(emulator: Emulator, o: SendOptions & { path: string; body: string | Buffer }): Promise<Record<string, string>> {
  const creds = o.credentials === undefined ? EMULATOR_CREDENTIALS : o.credentials;
  const headers: Record<string, string> = { host: `127.0.0.1:${emulator.port}`, ...o.headers };
  if (creds === false) return headers;
  const signer = new SignatureV4({
    service: o.service ?? 'sagemaker',
    region: o.region ?? 'us-east-1',
    credentials: creds,
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    { method: o.method ?? 'POST', protocol: 'http:', hostname: '127.0.0.1', port: emulator.port, path: o.path, query: {}, headers, body: o.body },
    { signingDate: o.signingDate ?? new Date() },
  );
  return signed.headers as Record<string, string>;
}

/** Signs and sends a request; resolves with the whole response. */
export async function send(emulator: Emulator, dispatcher: Agent, o: SendOptions = {}): Promise<SentResponse> {
  const path = o.path ?? '/endpoints/echo/invocations';
  const body = o.body ?? '';
  const headers = { ...(await signHeaders(emulator, { ...o, path, body })), ...o.unsignedHeaders };
  const res = await request(`${emulator.url}${path}`, {
    method: o.method ?? 'POST',
    headers,
    body: o.method === 'GET' ? null : (o.bodyAfterSigning ?? body),
    dispatcher,
    signal: o.signal,
  });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
  return { status: res.statusCode, headers: flat, body: bytes, json: () => JSON.parse(bytes.toString('utf8')) as Record<string, unknown> };
}

/** Decodes a whole event-stream body into messages; throws on a bad or truncated frame. */
export function decodeFrames(body: Uint8Array): Array<{ headers: Record<string, string>; body: Uint8Array }> {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const out: Array<{ headers: Record<string, string>; body: Uint8Array }> = [];
  let offset = 0;
  while (offset < body.length) {
    if (body.length - offset < 4) throw new Error(`truncated frame at ${offset}`);
    const total = new DataView(body.buffer, body.byteOffset + offset, 4).getUint32(0);
    if (offset + total > body.length) throw new Error(`truncated frame at ${offset}: needs ${total} bytes, has ${body.length - offset}`);
    const message = codec.decode(body.subarray(offset, offset + total));
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(message.headers)) headers[k] = String(v.value);
    out.push({ headers, body: message.body });
    offset += total;
  }
  return out;
}

/** A JSON body of `n` bytes. */
export function bodyOfSize(n: number): string {
  return 'x'.repeat(n);
}

/** Signs (service `s3`, path as sent, unsigned payload) and sends a request to the emulator's object store. */
export async function sendS3(
  emulator: Emulator,
  dispatcher: Agent,
  o: { method: 'GET' | 'HEAD' | 'PUT'; uri: string; body?: string | Buffer; headers?: Record<string, string>; credentials?: SendOptions['credentials']; service?: string },
): Promise<SentResponse> {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(o.uri);
  if (!m) throw new Error(`not an s3 URI: ${o.uri}`);
  const path = `/${m[1]}/${m[2]!.split('/').map(encodeURIComponent).join('/')}`;
  const creds = o.credentials === undefined ? EMULATOR_CREDENTIALS : o.credentials;
  let headers: Record<string, string> = { host: `127.0.0.1:${emulator.port}`, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...o.headers };
  if (creds !== false) {
    const signer = new SignatureV4({ service: o.service ?? 's3', region: 'us-east-1', credentials: creds, sha256: Hash.bind(null, 'sha256'), uriEscapePath: false });
    const signed = await signer.sign({ method: o.method, protocol: 'http:', hostname: '127.0.0.1', port: emulator.port, path, query: {}, headers, body: o.body });
    headers = signed.headers as Record<string, string>;
  }
  const res = await request(`${emulator.url}${path}`, { method: o.method, headers, body: o.method === 'PUT' ? (o.body ?? '') : null, dispatcher });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
  return { status: res.statusCode, headers: flat, body: bytes, json: () => JSON.parse(bytes.toString('utf8')) as Record<string, unknown> };
}
