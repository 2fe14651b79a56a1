/**
 * The client's `logger` option: the facts of each attempt as structured objects, called the way
 * pino is (`logger.level(fields, message)`), which `console` also prints. Real calls to the emulator.
 */
import { Console } from 'node:console';
import { PassThrough } from 'node:stream';
import { lastValueFrom, toArray } from 'rxjs';
import { SageMakerRuntime } from '../../src/client/sagemaker-runtime';
import { startEmulator, EMULATOR_CREDENTIALS, type Emulator } from '../../src/emulator/index';
import { retryInvocation } from '../../src/operators/resilience/retry-invocation';
import { InvalidRequestError } from '../../src/errors/client-errors';
import type { Logger, LogLevel } from '../../src/diagnostics/logger';

interface Line {
  level: LogLevel;
  fields: Record<string, unknown>;
  message: string;
}

/** A pino-shaped logger that keeps what it is given. */
function memoryLogger(): Logger & { lines: Line[] } {
  const lines: Line[] = [];
  const at = (level: LogLevel) => (fields: Record<string, unknown>, message: string) => lines.push({ level, fields, message });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('the client logger option', () => {
  let emu: Emulator;
  let flakyFailures = 0;

  beforeAll(async () => {
    emu = await startEmulator({
      endpoints: {
        echo: { model: 'echo' },
        flaky: { model: 'echo', faults: { serverErrorStatus: 503, failWhen: () => (flakyFailures-- > 0 ? 'serverError' : undefined) } },
        generator: { model: 'text-generator', generator: { tokensPerSecond: 1000, text: 'x y' } },
      },
    });
  });
  afterAll(() => emu.close());

  const newClient = (logger: unknown) =>
    new SageMakerRuntime({ region: 'us-east-1', endpoint: emu.url, credentials: EMULATOR_CREDENTIALS, logger: logger as Logger });

  it('logs sent, status and end at debug, the failed attempt at warn and the retry at info', async () => {
    const logger = memoryLogger();
    const client = newClient(logger);
    flakyFailures = 1;
    await lastValueFrom(client.invokeEndpoint$({ EndpointName: 'flaky', Body: 'hi' }).pipe(retryInvocation({ maxAttempts: 2, delayMs: 1 }), toArray()));
    await client.destroy();

    expect(logger.lines.map((l) => [l.level, l.fields.event, l.fields.attempt])).toEqual([
      ['debug', 'sagemaker-rx.attempt.start', 1],
      ['debug', 'sagemaker-rx.attempt.headers', 1],
      ['warn', 'sagemaker-rx.attempt.end', 1],
      ['info', 'sagemaker-rx.retry.scheduled', 1],
      ['debug', 'sagemaker-rx.attempt.start', 2],
      ['debug', 'sagemaker-rx.attempt.headers', 2],
      ['debug', 'sagemaker-rx.attempt.end', 2],
    ]);
    const [start, , failed, retry, , , ok] = logger.lines;
    expect(start!.fields).toMatchObject({ operation: 'InvokeEndpoint', endpointName: 'flaky', region: 'us-east-1', method: 'POST', bodySize: 2 });
    expect((start!.fields.headers as Record<string, string>).authorization).toBe('[redacted]');
    expect(failed!.fields).toMatchObject({ outcome: 'error', statusCode: 503, errorName: 'ServiceUnavailable', retryable: true, throttling: false, requestId: emu.requests[0]!.id });
    expect(failed!.message).toMatch(/^InvokeEndpoint flaky attempt 1: ServiceUnavailable \(503, retryable\) after \d+ ms: /);
    expect(retry!.fields).toMatchObject({ delayMs: 1, errorName: 'ServiceUnavailable', endpointName: 'flaky' });
    expect(retry!.message).toBe('InvokeEndpoint flaky: attempt 1 failed with ServiceUnavailable; attempt 2 in 1 ms');
    expect(ok!.fields).toMatchObject({ outcome: 'response', statusCode: 200, requestId: emu.requests[1]!.id });
    expect(typeof ok!.fields.durationMs).toBe('number');
  });

  it('logs the first chunk of a stream', async () => {
    const logger = memoryLogger();
    const client = newClient(logger);
    await lastValueFrom(client.invokeEndpointWithResponseStream$({ EndpointName: 'generator', Body: '{}' }).pipe(toArray()));
    await client.destroy();
    const first = logger.lines.filter((l) => l.fields.event === 'sagemaker-rx.attempt.first-chunk');
    expect(first).toHaveLength(1);
    expect(first[0]!.message).toMatch(/^InvokeEndpointWithResponseStream generator attempt 1: first chunk \(\d+ bytes\) after \d+ ms$/);
  });

  it('prints through a console: the fields object, then the message', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (b: Buffer) => (text += b.toString()));
    const console = new Console({ stdout: out, stderr: out });
    const client = newClient(console);
    await lastValueFrom(client.invokeEndpoint$({ EndpointName: 'echo', Body: 'x' }).pipe(toArray()));
    await client.destroy();
    expect(text).toContain("event: 'sagemaker-rx.attempt.start'");
    expect(text).toMatch(/InvokeEndpoint echo attempt 1: response 200 in \d+ ms/);
  });

  it('keeps calling when the logger throws', async () => {
    const broken = { debug: () => { throw new Error('disk full'); }, info: () => undefined, warn: () => undefined, error: () => undefined };
    const client = newClient(broken);
    const events = await lastValueFrom(client.invokeEndpoint$({ EndpointName: 'echo', Body: 'x' }).pipe(toArray()));
    await client.destroy();
    expect(events.map((e) => e.type)).toEqual(['sent', 'response']);
  });

  it('rejects a logger without the four methods, naming the option and what is missing', () => {
    expect(() => newClient({ info: () => undefined })).toThrow(InvalidRequestError);
    expect(() => newClient({ info: () => undefined })).toThrow('logger: must have debug, info, warn and error methods (missing debug, warn, error)');
  });
});
