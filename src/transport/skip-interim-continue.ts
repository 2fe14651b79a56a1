/**
 * HTTP/1.1 lets a server send `100 Continue` before its final answer even when the client did
 * not ask for one, and a client must skip it. undici instead destroys the socket ("bad
 * response"), so a harmless interim response became a retryable `NetworkError` and the model
 * ran twice. This filter sits on the socket undici reads: a `100` interim response at the start
 * of an answer is dropped before undici's parser sees it; every other byte passes unchanged.
 */
import type { Socket } from 'node:net';

const INTERIM_CONTINUE = /^HTTP\/1\.[01] 100(?: [^\r\n]*)?\r\n/;
/** An interim response is a status line and a few headers; more than this is not one. */
const MAX_INTERIM_BYTES = 8192;
const END_OF_HEAD = Buffer.from('\r\n\r\n');
const INTERIM_STARTS = ['HTTP/1.1 100', 'HTTP/1.0 100'];

/**
 * Makes `socket` drop unsolicited `100 Continue` interim responses that start an answer. The
 * socket is patched in place (its `push` and `write`); returns it.
 */
export function skipInterimContinue<S extends Socket>(socket: S): S {
  // True from a request write until the first byte of its answer.
  let awaitingAnswer = false;
  let held: Buffer | undefined;
  const write = socket.write;
  const push = socket.push;

  socket.write = function (this: S, ...args: Parameters<Socket['write']>): boolean {
    awaitingAnswer = true;
    return write.apply(this, args);
  } as Socket['write'];

  socket.push = function (this: S, chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null || !Buffer.isBuffer(chunk) || (!awaitingAnswer && held === undefined)) {
      if (chunk === null && held !== undefined) {
        push.call(this, held);
        held = undefined;
      }
      return push.call(this, chunk, encoding);
    }
    let bytes = held === undefined ? chunk : Buffer.concat([held, chunk]);
    held = undefined;
    for (;;) {
      const start = bytes.subarray(0, 12).toString('latin1');
      if (!INTERIM_STARTS.some((c) => c.startsWith(start))) break;
      const end = bytes.indexOf(END_OF_HEAD);
      if (end < 0) {
        if (bytes.length > MAX_INTERIM_BYTES) break;
        held = bytes; // wait for the rest of the interim response
        return true;
      }
      if (!INTERIM_CONTINUE.test(bytes.subarray(0, end + 2).toString('latin1'))) break;
      bytes = bytes.subarray(end + END_OF_HEAD.length);
      if (bytes.length === 0) return true; // the final answer is still to come
    }
    awaitingAnswer = false;
    return push.call(this, bytes, encoding);
  } as Socket['push'];
  return socket;
}
