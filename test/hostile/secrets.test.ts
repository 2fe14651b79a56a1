/**
 * A server that echoes the request's secrets (the session token, the Authorization value and its
 * signature) into every place an answer can carry text: the error type header, the request id,
 * modelled members, nested body fields, an HTML page cut into a snippet, stream exception frames,
 * a response header, and a transport failure's cause chain. Every event and error is scanned in
 * all its views — `JSON.stringify`, `util.inspect` with full depth and hidden properties — and so
 * is what the CLI prints (`invoke` on stderr, `enrich --errors` in the file).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { redactText } from '../../src/errors/redact-error';
import type { AnyInvokeEvent } from '../../src/events/invoke-event';
import type { Transport } from '../../src/transport/transport';
import { createUndiciTransport } from '../../src/transport/undici-transport';
import { childEnv, runCliProcess } from '../integration/cli-process';
import { collect, CREDENTIALS, INPUT, newClient, SESSION_TOKEN } from './helpers';
import { exceptionFrame, frame, payloadFrame, startHostileServer, STREAM_HEADERS, type HostileServer } from './hostile-server';

const token = (req: IncomingMessage) => String(req.headers['x-amz-security-token'] ?? '');
const auth = (req: IncomingMessage) => String(req.headers['authorization'] ?? '');
const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  'error-type': (req, res) => json(res, 400, { message: 'bad' }, { 'x-amzn-errortype': token(req) }),
  'request-id': (req, res) => json(res, 500, { message: 'oops' }, { 'x-amzn-requestid': token(req) }),
  'model-error': (req, res) =>
    json(res, 424, {
      ErrorCode: token(req),
      Message: `container said ${auth(req)}`,
      OriginalMessage: `echo: authorization=${auth(req)} token=${token(req)}`,
      LogStreamArn: `arn:aws:logs:us-east-1:1:log-group:/x:log-stream:${token(req)}`,
      OriginalStatusCode: 500,
    }),
  nested: (req, res) => json(res, 418, { __type: 'Weird', message: 'see body', detail: { headers: { authorization: auth(req), token: token(req) } }, list: [token(req)] }),
  'html-snippet': (req, res) =>
    res.writeHead(502, { 'content-type': 'text/html' }).end(`<html><body><h1>502</h1> upstream rejected token ${token(req)} and ${auth(req)}</body></html>`),
  'custom-attributes': (req, res) => res.writeHead(200, { 'content-type': 'text/plain', 'x-amzn-sagemaker-custom-attributes': `echo=${token(req)}` }).end('ok'),
  'stream-exception': (req, res) => {
    res.writeHead(200, STREAM_HEADERS);
    res.write(payloadFrame('first'));
    res.end(exceptionFrame(token(req), JSON.stringify({ Message: `stream saw ${auth(req)}`, ErrorCode: token(req) })));
  },
  'stream-error': (req, res) => {
    res.writeHead(200, STREAM_HEADERS);
    res.end(frame({ ':message-type': 'error', ':error-code': token(req), ':error-message': `code ${auth(req)}` }, ''));
  },
  'stream-model-error': (req, res) =>
    res.writeHead(200, STREAM_HEADERS).end(exceptionFrame('ModelStreamError', JSON.stringify({ Message: token(req), ErrorCode: token(req) }))),
};

let server: HostileServer;
beforeAll(async () => {
  server = await startHostileServer(routes);
});
afterAll(() => server.close());

/** The secrets of the last request the server received, and the prefixes a cut snippet may hold. */
function secretsSeen(): string[] {
  const last = server.received[server.received.length - 1]!;
  const authorization = String(last.headers['authorization']);
  const signature = /Signature=([0-9a-f]+)/.exec(authorization)![1]!;
  return [SESSION_TOKEN, SESSION_TOKEN.slice(0, 16), signature, signature.slice(0, 16), CREDENTIALS.secretAccessKey];
}

/** Every view a user may print or log. */
function views(value: unknown): string[] {
  return [JSON.stringify(value), inspect(value, { depth: Infinity, showHidden: true }), inspect(value, { depth: Infinity }), String((value as { error?: unknown }).error ?? '')];
}

function expectClean(events: readonly AnyInvokeEvent[], secrets: readonly string[]): void {
  for (const event of events) {
    for (const view of views(event)) for (const secret of secrets) expect(view).not.toContain(secret);
    if (event.type === 'error') {
      for (const view of views(event.error)) for (const secret of secrets) expect(view).not.toContain(secret);
      expect(String(event.error.stack)).not.toContain(secrets[1]!);
    }
  }
}

describe('secrets a server echoes are scrubbed from every event and error view', () => {
  let c: ReturnType<typeof newClient>;
  beforeAll(() => {
    c = newClient(server.url);
  });
  afterAll(async () => {
    await c.destroy();
  });

  it.each(['error-type', 'request-id', 'model-error', 'nested', 'html-snippet', 'custom-attributes'])('InvokeEndpoint: %s', async (name) => {
    const events = await collect(c.invokeEndpoint$({ ...INPUT, EndpointName: name }));
    expect(events.length).toBeGreaterThan(1);
    expectClean(events, secretsSeen());
  });

  it.each(['stream-exception', 'stream-error', 'stream-model-error'])('InvokeEndpointWithResponseStream: %s', async (name) => {
    const events = await collect(c.invokeEndpointWithResponseStream$({ ...INPUT, EndpointName: name }));
    expect(events[events.length - 1]!.type).toBe('error');
    expectClean(events, secretsSeen());
  });

  it('keeps the text around a secret and says where it was', async () => {
    const events = await collect(c.invokeEndpoint$({ ...INPUT, EndpointName: 'model-error' }));
    const error = events[1]!.type === 'error' ? events[1].error : undefined;
    expect(error).toMatchObject({ name: 'ModelError', OriginalStatusCode: 500 });
    expect((error as unknown as { OriginalMessage: string }).OriginalMessage).toMatch(/^echo: authorization=\[redacted\] token=\[redacted\]$/);
    expect((error as unknown as { ErrorCode: string }).ErrorCode).toBe('[redacted]');
  });

  it('scrubs a transport failure whose cause chain carries the token', async () => {
    const inner = createUndiciTransport();
    const leaky: Transport = {
      async send(request) {
        throw new Error('socket failed', { cause: new Error(`upstream proxy rejected x-amz-security-token: ${String(request.headers['x-amz-security-token'])}`) });
      },
      destroy: () => inner.destroy(),
    };
    const lc = newClient(server.url, { transport: leaky });
    const events = await collect(lc.invokeEndpoint$(INPUT));
    await lc.destroy();
    expect(events.map((e) => e.type)).toEqual(['sent', 'error']);
    expectClean(events, [SESSION_TOKEN, SESSION_TOKEN.slice(0, 16)]);
  });
});

describe('redactText', () => {
  const secret = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  it.each([
    [`x ${secret} y`, 'x [redacted] y'],
    [`cut ${secret.slice(0, 10)}`, 'cut [redacted]'],
    [`cut ${secret.slice(0, 10)}… more`, 'cut [redacted]… more'],
    [`long ${secret.slice(0, 20)}-then`, 'long [redacted]-then'],
    [`short ${secret.slice(0, 10)}-then`, `short ${secret.slice(0, 10)}-then`],
    ['nothing here', 'nothing here'],
    [`${secret}${secret}`, '[redacted][redacted]'],
  ])('%s', (text, expected) => {
    expect(redactText(text, [secret])).toBe(expected);
  });
});

describe('the CLI prints no secret', () => {
  const env = () => childEnv({ AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, AWS_SESSION_TOKEN: SESSION_TOKEN });

  it.each(['model-error', 'html-snippet', 'error-type', 'nested'])('invoke: stderr of %s', async (name) => {
    const run = await runCliProcess(['invoke', name, '--body', '{}', '--endpoint-url', server.url, '--retries', '0'], { env: env() });
    expect(run.code).toBe(1);
    expect(run.stderr.length).toBeGreaterThan(0);
    for (const secret of secretsSeen()) {
      expect(run.stderr).not.toContain(secret);
      expect(run.stdout).not.toContain(secret);
    }
  });

  it('enrich --errors: the errors file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostile-cli-'));
    try {
      const input = join(dir, 'in.jsonl');
      writeFileSync(input, '{"text":"a"}\n{"text":"b"}\n');
      const errors = join(dir, 'errors.jsonl');
      const run = await runCliProcess(
        ['enrich', 'model-error', '--in', input, '--out', join(dir, 'out.jsonl'), '--errors', errors, '--endpoint-url', server.url, '--retries', '0'],
        { env: env() },
      );
      const written = readFileSync(errors, 'utf8');
      expect(written.split('\n').filter(Boolean)).toHaveLength(2);
      for (const secret of secretsSeen()) {
        expect(written).not.toContain(secret);
        expect(run.stderr).not.toContain(secret);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
