/**
 * The Nest example app over real HTTP: `Test.createTestingModule` builds `AppModule` against the
 * emulator (port 0), `app.listen(0)` serves it on loopback, and plain `fetch` plays the browser or
 * the curl user: the batch endpoint, the SSE endpoint (and the upstream call aborted when the HTTP
 * client leaves), the error mapping of `SageMakerExceptionFilter`, the health indicator, and the
 * client destroyed with the app.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator } from '../../src/emulator/index';
import { getSageMakerToken } from '../../src/nestjs/index';
import type { SageMakerRuntime } from '../../src/index';
import { AppModule } from '../../examples/nestjs-app/app.module';
import type { AppSettings } from '../../examples/nestjs-app/app-settings';

const POISON = '#model-crash';
const THROTTLED = '#throttle';
const INVALID = '#invalid';

let emulator: Emulator;
let app: INestApplication;
let base: string;

/** Resolves once `condition()` holds (polling; the emulator records asynchronously). */
async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`until: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  emulator = await startEmulator({
    endpoints: {
      reviews: {
        model: 'sentiment',
        faults: {
          failWhen: (req) => {
            const body = req.body.toString('utf8');
            if (body.includes(POISON)) return 'modelError';
            if (body.includes(THROTTLED)) return 'throttle';
            return undefined;
          },
        },
      },
      generator: { model: 'text-generator', generator: { format: 'sse', tokensPerSecond: 40 } },
    },
  });
  const settings: AppSettings = {
    region: emulator.region,
    endpoint: emulator.url,
    credentials: EMULATOR_CREDENTIALS,
    reviewsEndpointName: 'reviews',
    generatorEndpointName: 'generator',
    attemptTimeoutMs: 5_000,
    maxBatchRecords: 50,
  };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(settings)] }).compile();
  app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
});

afterAll(async () => {
  await app?.close();
  await emulator?.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('POST /reviews/enrich', () => {
  it('answers each record in order, adding sentiment to the record as sent, a failure on its record alone', async () => {
    const records = [
      { id: 'a', text: 'Great tent, sturdy and easy to pitch. I love it.', extra: { nested: [1, 2] } },
      { id: 'b', text: `This one breaks the model ${POISON}` },
      { id: 'c', text: 'Awful. It broke after a week' },
    ];
    const res = await post('/reviews/enrich', { records });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { records: Array<Record<string, unknown>>; answered: number; failed: number };
    expect({ answered: body.answered, failed: body.failed }).toEqual({ answered: 2, failed: 1 });
    expect(body.records.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(body.records[0]).toEqual({ ...records[0], sentiment: { label: 'POSITIVE', score: expect.any(Number) } });
    expect(body.records[2]).toEqual({ ...records[2], sentiment: { label: 'NEGATIVE', score: expect.any(Number) } });
    const failedRecord = body.records[1] as { sentimentError: { name: string; requestId: string } };
    expect(failedRecord).toEqual({ ...records[1], sentimentError: { name: 'ModelError', message: expect.any(String), requestId: expect.any(String) } });
    // The request id is the one the emulator answered the failed call with.
    expect(emulator.requests.some((r) => r.id === failedRecord.sentimentError.requestId && r.status === 424)).toBe(true);
  });

  it('refuses, before any call, a batch whose record already holds the field it would add', async () => {
    const before = emulator.requests.length;
    const res = await post('/reviews/enrich', { records: [{ id: 1, text: 'ok' }, { id: 2, text: 'x', sentiment: 'mine' }] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe('body.records[1] already has a "sentiment" field; enrich would overwrite it');
    expect(emulator.requests.length).toBe(before);
  });
});

describe('error mapping (SageMakerExceptionFilter)', () => {
  it('answers a model error with 424, the model status and the SageMaker request id', async () => {
    const res = await post('/reviews/classify', { text: `bad ${POISON}` });
    expect(res.status).toBe(424);
    const body = (await res.json()) as { error: string; requestId: string; originalStatusCode: number };
    expect(body).toMatchObject({ statusCode: 424, error: 'ModelError', originalStatusCode: 500 });
    expect(res.headers.get('x-amzn-requestid')).toBe(body.requestId);
    expect(emulator.requests.find((r) => r.id === body.requestId)?.errorType).toBe('ModelError');
  });

  it('answers throttling (after the retries) with 429 and Retry-After', async () => {
    const before = emulator.requests.length;
    const res = await post('/reviews/classify', { text: `busy ${THROTTLED}` });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await res.json()) as { error: string }).error).toBe('ThrottlingException');
    expect(emulator.requests.length - before).toBe(2); // the controller's two attempts
  });

  it('answers input the client refuses before any I/O with 400, naming the member', async () => {
    const before = emulator.requests.length;
    const res = await post('/reviews/classify', { text: 'fine', variant: 'not a variant name!' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('InvalidRequestError');
    expect(body.message).toMatch(/TargetVariant/);
    expect(emulator.requests.length).toBe(before);
  });

  it('answers a success with the label', async () => {
    const res = await post('/reviews/classify', { text: 'I love it, great' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ label: 'POSITIVE', score: expect.any(Number) });
  });
});

describe('GET /generate (SSE)', () => {
  /** Reads SSE events from a response until `stop(events)` says so or the stream ends. */
  async function readEvents(res: Response, stop: (events: Array<{ event: string; data: string }>) => boolean) {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const events: Array<{ event: string; data: string }> = [];
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        events.push({ event, data });
      }
      if (stop(events)) break;
    }
    return { events, reader };
  }

  it('streams tokens as they arrive, then done', async () => {
    const res = await fetch(`${base}/generate?prompt=${encodeURIComponent('Tell me about foxes')}`);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const { events } = await readEvents(res, () => false);
    const tokens = events.filter((e) => e.event === 'token').map((e) => (JSON.parse(e.data) as { text: string }).text);
    expect(tokens.length).toBeGreaterThan(5);
    expect(tokens.join('')).toMatch(/^The quick/);
    expect(events.at(-1)?.event).toBe('done');
  });

  it('aborts the upstream call when the HTTP client leaves mid-stream', async () => {
    const before = emulator.requests.length;
    const controller = new AbortController();
    const res = await fetch(`${base}/generate?prompt=leave-early`, { signal: controller.signal });
    const { events } = await readEvents(res, (ev) => ev.filter((e) => e.event === 'token').length >= 3);
    expect(events.filter((e) => e.event === 'token').length).toBeGreaterThanOrEqual(3);
    controller.abort(); // the browser tab closed
    const upstream = () => emulator.requests.slice(before).find((r) => r.operation === 'InvokeEndpointWithResponseStream');
    await until(() => upstream()?.completedAt !== undefined);
    expect(upstream()).toMatchObject({ closedByClient: true, status: 200 });
  });
});

describe('GET /health', () => {
  it('is up, in the terminus shape, while the endpoint answers', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      info: { reviews: { status: 'up', endpointName: 'reviews', durationMs: expect.any(Number) } },
      error: {},
      details: { reviews: { status: 'up', endpointName: 'reviews', durationMs: expect.any(Number) } },
    });
  });

  it('is down with 503, the error and its request id, when the endpoint is gone', async () => {
    emulator.removeEndpoint('reviews');
    try {
      const res = await fetch(`${base}/health`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { status: string; error: { reviews: { status: string; error: string; requestId: string } } };
      expect(body.status).toBe('error');
      expect(body.error.reviews).toMatchObject({ status: 'down', error: 'ValidationError', requestId: expect.any(String) });
    } finally {
      emulator.setEndpoint('reviews', { model: 'sentiment' });
    }
  });
});

describe('shutdown', () => {
  it('destroys the SageMaker client with the app', async () => {
    const client = app.get<SageMakerRuntime>(getSageMakerToken());
    await app.close();
    const before = emulator.requests.length;
    await expect(client.invokeEndpoint({ EndpointName: 'reviews', Body: '{"text":"x"}', ContentType: 'application/json' })).rejects.toMatchObject({
      name: 'ClientDestroyedError',
    });
    expect(emulator.requests.length).toBe(before); // nothing sent
  });
});

describe('examples/nestjs-app/main.ts as a process', () => {
  it('serves on the port it prints, and SIGTERM closes the app, the client and its emulator, exit 0', async () => {
    const { spawn } = await import('node:child_process');
    const { join } = await import('node:path');
    const root = join(__dirname, '..', '..');
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'examples/nestjs-app/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0', SAGEMAKER_ENDPOINT_URL: '', NO_COLOR: '1' }, // no endpoint: the app starts its own emulator
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    try {
      await until(() => /listening on http:\/\/127\.0\.0\.1:\d+/.test(stdout), 60_000);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1]!;
      const res = await fetch(`${url}/reviews/enrich`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ records: [{ id: 1, text: 'I love it, great tent' }] }),
      });
      expect(await res.json()).toEqual({ records: [{ id: 1, text: 'I love it, great tent', sentiment: { label: 'POSITIVE', score: expect.any(Number) } }], answered: 1, failed: 0 });
      child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(stdout).toMatch(/^emulator on http:\/\/127\.0\.0\.1:\d+$/m);
      expect(stdout).toMatch(/^SIGTERM: app closed, SageMaker client destroyed$/m);
      expect(stderr).toBe('');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});
