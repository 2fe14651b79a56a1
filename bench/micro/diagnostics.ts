/**
 * Micro-benchmark of the observability path alone (no I/O): the facts one successful attempt of a
 * call through `retryInvocation` publishes (start, headers, end, call end), with nobody listening
 * (`none`), or with `instrumentSageMakerRx` on SDK providers for traces, metrics or both. Spans go
 * to a batch processor whose exporter drops them; metrics to a reader that is never collected here.
 *
 *   npx tsx bench/micro/diagnostics.ts [none|traces|metrics|otel] [--iterations 100000]
 */
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { instrumentSageMakerRx } from '../../src/opentelemetry/index';
import { startAttemptDiagnostics } from '../../src/diagnostics/attempt-diagnostics';
import { createDiagnosticsCall, subscribeWithinCall } from '../../src/diagnostics/call-scope';
import { publishCallEnd } from '../../src/diagnostics/publish';

const dropping = { export: (_i: unknown, done: (r: { code: 0 }) => void) => done({ code: 0 }), shutdown: async () => undefined, forceFlush: async () => undefined };
const mode = process.argv[2] ?? 'otel';
if (mode !== 'none') {
  const tracerProvider = new BasicTracerProvider({ spanProcessors: mode === 'metrics' ? [] : [new BatchSpanProcessor(dropping)] });
  const meterProvider = new MeterProvider({ readers: mode === 'traces' ? [] : [new PeriodicExportingMetricReader({ exporter: dropping as never, exportIntervalMillis: 60000 })] });
  instrumentSageMakerRx({ tracerProvider, meterProvider });
}
const endpoint = new URL('http://127.0.0.1:8080');
const request = { method: 'POST', url: 'http://127.0.0.1:8080/endpoints/x/invocations', headers: { authorization: '[redacted]', 'content-type': 'application/json' }, bodySize: 1024 };
const output = { $metadata: { httpStatusCode: 200, requestId: 'abc' }, InvokedProductionVariant: 'AllTraffic', Body: new Uint8Array(1) };
function once() {
  const call = createDiagnosticsCall();
  call.attempt = 1;
  const d = subscribeWithinCall(call, () => startAttemptDiagnostics({ operation: 'InvokeEndpoint', input: { EndpointName: 'x' }, endpoint, region: 'us-east-1', request, call, startTime: performance.timeOrigin + performance.now(), logger: undefined }));
  d?.headers(200, { 'x-amzn-requestid': 'abc' });
  d?.event({ type: 'response', attempt: 1, timestamp: 0, output, durationMs: 1 } as never);
  publishCallEnd(call, 1, 'response');
}
for (let i = 0; i < 20000; i++) once();
const flag = process.argv.indexOf('--iterations');
const n = flag > 0 ? Number(process.argv[flag + 1]) : 100_000;
const t0 = performance.now();
for (let i = 0; i < n; i++) once();
const us = ((performance.now() - t0) * 1000) / n;
console.log(`${mode}: ${us.toFixed(2)} µs per attempt (${n.toLocaleString('en-US')} attempts)`);
