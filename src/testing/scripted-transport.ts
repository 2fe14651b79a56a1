/**
 * A `Transport` that answers from a script instead of the network, for users' unit tests of code
 * that takes a `SageMakerRuntime`: no sockets, no emulator, every request recorded.
 * (The library's own tests use the emulator over real sockets; this is for yours.)
 */
import type { Transport, TransportRequest, TransportResponse } from '../transport/transport.js';
import { NetworkError } from '../errors/client-errors.js';

/** A scripted reply: a response (whole or chunked body, optional delay) or a network error. */
export type ScriptedReply =
  | {
      status?: number;
      headers?: Record<string, string>;
      /** The body, whole or as chunks (a string is UTF-8 encoded). */
      body?: string | Uint8Array | Array<string | Uint8Array>;
      /** Wait this long before answering, in ms; aborting the request ends the wait. */
      delayMs?: number;
    }
  | { networkError: string };

/** One scripted answer: a reply, or a function of the request that returns one. */
export type ScriptedAnswer = ScriptedReply | ((request: TransportRequest) => ScriptedReply | Promise<ScriptedReply>);

export interface ScriptedTransport extends Transport {
  /** Every request sent, in order. */
  readonly requests: TransportRequest[];
  /** Answers not used yet. */
  readonly remaining: number;
}

const encoder = new TextEncoder();
const toBytes = (c: string | Uint8Array): Uint8Array => (typeof c === 'string' ? encoder.encode(c) : c);

function abortable(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Creates a transport that answers each request with the next scripted answer (the last one
 * repeats when `repeatLast` is true; otherwise running out is a `NetworkError` naming the request).
 *
 * @example
 * ```ts
 * import { SageMakerRuntime } from 'sagemaker-rx';
 * import { scriptedTransport } from 'sagemaker-rx/testing';
 * const transport = scriptedTransport([
 *   { status: 503, headers: { 'x-amzn-errortype': 'ServiceUnavailable' }, body: '{"message":"busy"}' },
 *   { status: 200, headers: { 'content-type': 'application/json' }, body: '{"label":"POSITIVE"}' },
 * ]);
 * const client = new SageMakerRuntime({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, transport });
 * ```
 */
export function scriptedTransport(script: ScriptedAnswer[], options: { repeatLast?: boolean } = {}): ScriptedTransport {
  const requests: TransportRequest[] = [];
  let next = 0;
  return {
    requests,
    get remaining() {
      return Math.max(0, script.length - next);
    },
    async send(request): Promise<TransportResponse> {
      requests.push(request);
      const scripted = next < script.length ? script[next++] : options.repeatLast ? script[script.length - 1] : undefined;
      if (scripted === undefined) throw new NetworkError({ message: `scriptedTransport: no answer left for request ${requests.length} (${request.url})`, code: 'ECONNREFUSED' });
      const answer: ScriptedReply = typeof scripted === 'function' ? await scripted(request) : scripted;
      if ('networkError' in answer) throw new NetworkError({ message: `scripted network error ${answer.networkError}`, code: answer.networkError });
      if (answer.delayMs) await abortable(answer.delayMs, request.signal);
      if (request.signal.aborted) throw request.signal.reason;
      const raw = answer.body ?? '';
      const chunks = (Array.isArray(raw) ? raw : [raw]).map(toBytes);
      const headers: Record<string, string> = Object.fromEntries(Object.entries(answer.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      return {
        statusCode: answer.status ?? 200,
        headers,
        body: {
          async bytes() {
            const size = chunks.reduce((n, c) => n + c.length, 0);
            const all = new Uint8Array(size);
            let at = 0;
            for (const c of chunks) {
              all.set(c, at);
              at += c.length;
            }
            return all;
          },
          async *[Symbol.asyncIterator]() {
            for (const c of chunks) {
              if (request.signal.aborted) throw request.signal.reason;
              yield c;
            }
          },
        },
      };
    },
    async destroy() {},
  };
}
