/**
 * No secret leaves through observability: after calls that retry, stream, get cancelled, fail
 * with an error whose message echoes the signed headers (a server of our own that does what a
 * careless proxy might), and fail signature checks, no span,
 * span event, status message, metric attribute, log line or channel message holds the secret key,
 * the session token or any request signature.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lastValueFrom, toArray } from 'rxjs';
import { SageMakerRuntime } from '../../src/client/sagemaker-runtime';
import { startEmulator, type Emulator } from '../../src/emulator/index';
import { retryInvocation } from '../../src/operators/resilience/retry-invocation';
import { subscribeDiagnostics } from '../../src/diagnostics/subscribe-diagnostics';
import { DIAGNOSTICS_CHANNELS } from '../../src/diagnostics/channel-names';
import { enableContext, startOtelHarness } from './otel-harness';

const CREDENTIALS = {
  accessKeyId: 'AKIDSECRETSCAN',
  secretAccessKey: 'scan/secret/access/key/do-not-leak-0123456789',
  sessionToken: 'FwoGZXIvYXdzEXAMPLESESSIONTOKENdoNotLeak0123456789',
};

describe('observability keeps secrets out', () => {
  let emu: Emulator;
  let disableContext: () => void;
  let tattler: Server;
  let tattlerUrl: string;
  const tattlerSaw: string[] = [];

  beforeAll(async () => {
    disableContext = enableContext();
    // Answers every request with an error whose message quotes the signed headers it received.
    tattler = createServer((req, res) => {
      req.resume();
      tattlerSaw.push(String(req.headers.authorization));
      const message = `bad request ${req.headers.authorization} token ${req.headers['x-amz-security-token']}`;
      res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException', 'x-amzn-requestid': 'tattler-1' });
      res.end(JSON.stringify({ message }));
    });
    await new Promise<void>((resolve) => tattler.listen(0, '127.0.0.1', resolve));
    tattlerUrl = `http://127.0.0.1:${(tattler.address() as AddressInfo).port}`;
    emu = await startEmulator({
      credentials: [CREDENTIALS],
      endpoints: {
        echo: { model: 'echo' },
        flaky: { model: 'echo', faults: { serverErrorRate: 0.5, serverErrorStatus: 503 } },
        generator: { model: 'text-generator', generator: { tokensPerSecond: 1000, text: 'p q r' } },
        slow: { model: 'echo', faults: { latencyMs: 5_000 } },
      },
    });
  });
  afterAll(async () => {
    await emu.close();
    await new Promise((resolve) => tattler.close(resolve));
    disableContext();
  });

  it('finds no secret key, session token or signature in spans, metrics, logs or channel messages', async () => {
    const otel = startOtelHarness();
    const logLines: unknown[] = [];
    const logger = {
      debug: (f: object, m: string) => logLines.push([f, m]),
      info: (f: object, m: string) => logLines.push([f, m]),
      warn: (f: object, m: string) => logLines.push([f, m]),
      error: (f: object, m: string) => logLines.push([f, m]),
    };
    const messages: unknown[] = [];
    const keep = (m: unknown) => messages.push(m);
    const stopChannels = subscribeDiagnostics(Object.fromEntries(Object.keys(DIAGNOSTICS_CHANNELS).map((k) => [k, keep])));
    const client = new SageMakerRuntime({ region: 'us-east-1', endpoint: emu.url, credentials: CREDENTIALS, logger });
    const toTattler = new SageMakerRuntime({ region: 'us-east-1', endpoint: tattlerUrl, credentials: CREDENTIALS, logger });
    const wrongKey = new SageMakerRuntime({ region: 'us-east-1', endpoint: emu.url, credentials: { ...CREDENTIALS, secretAccessKey: 'not/the/right/key/but/still/secret/987' }, logger });
    try {
      for (let i = 0; i < 6; i++) {
        await lastValueFrom(client.invokeEndpoint$({ EndpointName: 'flaky', Body: `r${i}` }).pipe(retryInvocation({ maxAttempts: 3, delayMs: 0 }), toArray()));
      }
      const tattled = await lastValueFrom(toTattler.invokeEndpoint$({ EndpointName: 'tattler', Body: 'x' }).pipe(toArray()));
      expect(tattled.at(-1)).toMatchObject({ type: 'error', error: { name: 'AccessDeniedException' } });
      await lastValueFrom(client.invokeEndpointWithResponseStream$({ EndpointName: 'generator', Body: '{}' }).pipe(toArray()));
      const rejected = await lastValueFrom(wrongKey.invokeEndpoint$({ EndpointName: 'echo', Body: 'x' }).pipe(toArray()));
      expect(rejected.at(-1)).toMatchObject({ type: 'error' });
      const sub = client.invokeEndpoint$({ EndpointName: 'slow', Body: 'x' }).subscribe();
      await emu.waitForRequest((r) => r.endpointName === 'slow');
      sub.unsubscribe();
    } finally {
      stopChannels();
      await client.destroy();
      await wrongKey.destroy();
      await toTattler.destroy();
    }

    const signatures = [...emu.requests.map((r) => r.headers.authorization ?? ''), ...tattlerSaw].map((a) => /Signature=([0-9a-f]{64})/.exec(a)?.[1]);
    expect(signatures.length).toBeGreaterThanOrEqual(11);
    expect(signatures.every((s) => s !== undefined)).toBe(true);
    const secrets = [CREDENTIALS.secretAccessKey, 'not/the/right/key/but/still/secret/987', CREDENTIALS.sessionToken, ...(signatures as string[])];

    const spans = otel.spans().map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status, links: s.links }));
    const metrics = (await otel.metrics()).map((m) => ({ descriptor: m.descriptor, points: m.dataPoints.map((p) => p.attributes) }));
    await otel.close();
    expect(spans.length).toBe(emu.requests.length + tattlerSaw.length);
    expect(logLines.length).toBeGreaterThan(spans.length * 2);
    expect(messages.length).toBeGreaterThan(spans.length * 3);
    // The echoing container's message did reach the span, scrubbed.
    expect(JSON.stringify(spans)).toContain('bad request [redacted] token [redacted]');

    const dump = JSON.stringify({ spans, metrics, logLines, messages }, (_key, value: unknown) => (typeof value === 'function' ? undefined : value));
    for (const secret of secrets) expect(dump.includes(secret)).toBe(false);
  });
});
