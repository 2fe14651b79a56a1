/**
 * The CLI's observability options as a real process (`node dist/cjs/cli/bin.js`, built by
 * `npm test` or `node scripts/build.mjs`) against the emulator: `--debug` prints each attempt's
 * facts on stderr, and `enrich --otel` exports spans and metrics over OTLP/HTTP to a collector
 * started here, configured only by the standard OTEL_* environment.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, EMULATOR_CREDENTIALS, type Emulator } from '../../src/emulator/index';
import { startOtelExport } from '../../src/cli/output/otel-export';
import { UsageError } from '../../src/cli/args/usage-error';
import { childEnv, runCliProcess, type CliRun } from '../integration/cli-process';

type Run = CliRun;

/** Runs the built CLI with `input` on stdin and `env` added to the child environment. */
const cli = (args: string[], input: string, env: Record<string, string> = {}): Promise<Run> => runCliProcess(args, { input, env: childEnv(env) });

/** An OTLP/HTTP collector: keeps the JSON bodies posted to /v1/traces and /v1/metrics. */
async function startCollector(): Promise<{ url: string; traces: any[]; metrics: any[]; contentTypes: string[]; close(): Promise<void> }> {
  const traces: any[] = [];
  const metrics: any[] = [];
  const contentTypes: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      contentTypes.push(String(req.headers['content-type']));
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (req.url === '/v1/traces') traces.push(body);
      else if (req.url === '/v1/metrics') metrics.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, traces, metrics, contentTypes, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('CLI observability options', () => {
  let emu: Emulator;
  let flakyFailures = 0;

  beforeAll(async () => {
    emu = await startEmulator({
      endpoints: {
        echo: { model: 'echo' },
        flaky: { model: 'echo', faults: { serverErrorStatus: 503, failWhen: () => (flakyFailures-- > 0 ? 'serverError' : undefined) } },
      },
    });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  it('invoke --debug prints each fact of each attempt on stderr, without the secret key or the signature', async () => {
    const run = await cli(['invoke', 'echo', '--body', 'hello', '--endpoint-url', emu.url, '--debug'], '');
    expect(run.code).toBe(0);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('sagemaker-rx '));
    expect(lines.map((l) => l.split(':')[0])).toEqual(['sagemaker-rx debug', 'sagemaker-rx debug', 'sagemaker-rx debug']);
    expect(lines[0]).toContain('InvokeEndpoint echo attempt 1: sent POST');
    expect(lines[2]).toMatch(/InvokeEndpoint echo attempt 1: response 200 in \d+ ms \{.*"requestId":"[^"]+"/);
    const signature = /Signature=([0-9a-f]{64})/.exec(emu.requests[0]!.headers.authorization!)![1]!;
    expect(run.stderr).not.toContain(signature);
    expect(run.stderr).not.toContain(EMULATOR_CREDENTIALS.secretAccessKey);
  });

  it('enrich --otel exports one span per attempt and the run metrics to the OTLP endpoint of the environment', async () => {
    const collector = await startCollector();
    try {
      flakyFailures = 1;
      const records = ['{"id":1}', '{"id":2}', '{"id":3}'].join('\n') + '\n';
      const run = await cli(['enrich', 'flaky', '--endpoint-url', emu.url, '--otel', '--concurrency', '1'], records, {
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_SERVICE_NAME: 'reviews-enrichment',
      });
      expect(run.stderr).not.toMatch(/needs the optional/);
      expect(run.code).toBe(0);
      expect(run.stdout.trim().split('\n')).toHaveLength(3);

      const spans = collector.traces.flatMap((t) => t.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans)));
      expect(spans).toHaveLength(emu.stats.total);
      expect(emu.stats.total).toBe(4); // one record retried once
      expect(spans.every((s: any) => s.name === 'SageMakerRuntime.InvokeEndpoint')).toBe(true);
      const service = collector.traces[0].resourceSpans[0].resource.attributes.find((a: any) => a.key === 'service.name');
      expect(service.value.stringValue).toBe('reviews-enrichment');
      expect(spans.filter((s: any) => s.status?.code === 2)).toHaveLength(1); // STATUS_CODE_ERROR: the 503

      const metrics = collector.metrics.flatMap((m) => m.resourceMetrics.flatMap((r: any) => r.scopeMetrics.flatMap((s: any) => s.metrics)));
      const duration = metrics.filter((m: any) => m.name === 'sagemaker_rx.invocation.duration');
      expect(duration.length).toBeGreaterThan(0);
      const count = duration.at(-1).histogram.dataPoints.reduce((a: number, p: any) => a + Number(p.count), 0);
      expect(count).toBe(4);
      expect(collector.contentTypes.every((t) => t.startsWith('application/json'))).toBe(true);
    } finally {
      await collector.close();
    }
  });

  it('stops before sending and names the packages to install when the OpenTelemetry packages are missing', async () => {
    const missing = async (name: string) => {
      if (name.startsWith('@opentelemetry/exporter-')) throw Object.assign(new Error(`Cannot find package '${name}'`), { code: 'ERR_MODULE_NOT_FOUND' });
      return require(name) as unknown; // jest runs without vm modules: require the present ones
    };
    const started = startOtelExport({}, 'enrich', missing);
    await expect(started).rejects.toThrow(UsageError);
    await expect(startOtelExport({}, 'enrich', missing)).rejects.toThrow(
      '--otel needs the optional OpenTelemetry packages, and @opentelemetry/exporter-trace-otlp-http, @opentelemetry/exporter-metrics-otlp-http are not installed (npm install @opentelemetry/exporter-trace-otlp-http @opentelemetry/exporter-metrics-otlp-http)',
    );
  });
});
