/**
 * sagemaker-rx with the resilience operators, as `sagemaker-rx-operators` calls them, with
 * `instrumentSageMakerRx` registered on OpenTelemetry SDK providers the way an application sets
 * them up: a tracer provider with a batch span processor and a meter provider with a periodic
 * reader, both to exporters that drop what they get (the export itself is not what is measured).
 * The ratio to `sagemaker-rx-operators` is the instrumentation's cost per request.
 * No context manager is registered: an application that has one pays for it with or without us.
 */
import { join } from 'node:path';
import type { instrumentSageMakerRx as InstrumentSageMakerRx } from '../../src/opentelemetry/index.js';
import { librarySource } from '../lib/library.js';
import type { BenchClient, BenchTarget } from './bench-client.js';
import { createClient as createOperatorsClient } from './sagemaker-rx-operators.js';

/** Longer than any measured window, as in production (60 s is the SDK default). */
const METRIC_EXPORT_INTERVAL_MS = 60_000;

export function createClient(target: BenchTarget): BenchClient {
  // Loaded with `require` from the same build as the client (see lib/library.ts and lib/child.ts).
  const { instrumentSageMakerRx } = require(join(librarySource(), 'opentelemetry', 'index.js')) as { instrumentSageMakerRx: typeof InstrumentSageMakerRx };
  const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { MeterProvider, PeriodicExportingMetricReader } = require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');

  const dropping = { export: (_items: unknown, done: (result: { code: 0 }) => void) => done({ code: 0 }), shutdown: async () => undefined, forceFlush: async () => undefined };
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropping)] });
  const meterProvider = new MeterProvider({
    readers: [new PeriodicExportingMetricReader({ exporter: dropping as never, exportIntervalMillis: METRIC_EXPORT_INTERVAL_MS })],
  });
  const stop = instrumentSageMakerRx({ tracerProvider, meterProvider });
  const client = createOperatorsClient(target);
  return {
    invoke: client.invoke,
    close: async () => {
      await client.close();
      stop();
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
