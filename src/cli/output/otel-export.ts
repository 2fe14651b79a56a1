/**
 * `--otel`: exports the run's spans and metrics over OTLP/HTTP, configured by the standard
 * `OTEL_EXPORTER_OTLP_*` environment (endpoint, headers, timeouts, per-signal endpoints),
 * `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`. The OpenTelemetry packages are optional
 * dependencies, loaded only here, only when asked for; without them the command stops before
 * sending anything and names what to install.
 */
import { UsageError } from '../args/usage-error.js';

/** The packages `--otel` loads, in the order it loads them. */
export const OTEL_PACKAGES = [
  '@opentelemetry/api',
  '@opentelemetry/resources',
  '@opentelemetry/sdk-trace-base',
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/exporter-metrics-otlp-http',
] as const;

/** The spec's default metric export interval, in ms (`OTEL_METRIC_EXPORT_INTERVAL`). */
const DEFAULT_METRIC_EXPORT_INTERVAL_MS = 60_000;

/** A running export: `shutdown()` flushes what is left and stops. */
export interface OtelExport {
  shutdown(): Promise<void>;
}

// Loose shapes of what is used from the optional packages, so the CLI compiles without them.
interface Modules {
  resources: {
    resourceFromAttributes(attributes: Record<string, string>): { merge(other: unknown): unknown };
    detectResources(config: { detectors: unknown[] }): unknown;
    envDetector: unknown;
  };
  traceBase: {
    BasicTracerProvider: new (config: { resource: unknown; spanProcessors: unknown[] }) => { shutdown(): Promise<void> };
    BatchSpanProcessor: new (exporter: unknown) => unknown;
  };
  metrics: {
    MeterProvider: new (config: { resource: unknown; readers: unknown[] }) => { shutdown(): Promise<void> };
    PeriodicExportingMetricReader: new (config: { exporter: unknown; exportIntervalMillis: number }) => unknown;
  };
  traceExporter: { OTLPTraceExporter: new () => unknown };
  metricExporter: { OTLPMetricExporter: new () => unknown };
  instrumentation: { instrumentSageMakerRx(config: { tracerProvider: unknown; meterProvider: unknown }): () => void };
}

/** Loads a package by name. */
export type PackageLoader = (name: string) => Promise<unknown>;

/** `import()` by a computed name, so bundlers and TypeScript leave the optional packages alone. */
const importPackage: PackageLoader = (name) => import(name);

async function loadModules(command: string, load: PackageLoader): Promise<Modules> {
  const missing: string[] = [];
  const loaded: unknown[] = [];
  for (const name of OTEL_PACKAGES) {
    try {
      loaded.push(await load(name));
    } catch (err) {
      if ((err as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND' && (err as { code?: string }).code !== 'MODULE_NOT_FOUND') throw err;
      missing.push(name);
    }
  }
  if (missing.length > 0) {
    throw new UsageError(
      `--otel needs the optional OpenTelemetry packages, and ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed ` +
        `(npm install ${missing.join(' ')})`,
      command,
    );
  }
  // The instrumentation imports @opentelemetry/api, so it is loaded only once that is known to be there.
  const instrumentation = await import('../../opentelemetry/index.js');
  const [, resources, traceBase, metrics, traceExporter, metricExporter] = loaded;
  return { resources, traceBase, metrics, traceExporter, metricExporter, instrumentation } as unknown as Modules;
}

/**
 * Starts exporting: a tracer provider with a batch span processor and a meter provider with a
 * periodic reader, both to OTLP/HTTP exporters that read `OTEL_EXPORTER_OTLP_*` themselves, and
 * `instrumentSageMakerRx` over them. Throws a `UsageError` naming the missing packages.
 */
export async function startOtelExport(env: NodeJS.ProcessEnv, command: string, load: PackageLoader = importPackage): Promise<OtelExport> {
  const m = await loadModules(command, load);
  const intervalMs = Number(env.OTEL_METRIC_EXPORT_INTERVAL);
  const resource = m.resources
    .resourceFromAttributes({ 'service.name': 'sagemaker-rx' })
    .merge(m.resources.detectResources({ detectors: [m.resources.envDetector] }));
  const tracerProvider = new m.traceBase.BasicTracerProvider({
    resource,
    spanProcessors: [new m.traceBase.BatchSpanProcessor(new m.traceExporter.OTLPTraceExporter())],
  });
  const meterProvider = new m.metrics.MeterProvider({
    resource,
    readers: [
      new m.metrics.PeriodicExportingMetricReader({
        exporter: new m.metricExporter.OTLPMetricExporter(),
        exportIntervalMillis: Number.isFinite(intervalMs) && intervalMs > 0 ? intervalMs : DEFAULT_METRIC_EXPORT_INTERVAL_MS,
      }),
    ],
  });
  const stop = m.instrumentation.instrumentSageMakerRx({ tracerProvider, meterProvider });
  return {
    async shutdown() {
      stop();
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
