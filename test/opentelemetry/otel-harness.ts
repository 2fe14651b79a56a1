// The OpenTelemetry SDK's in-memory span exporter and a pull metric reader around
// instrumentSageMakerRx, and readers of the collected data for assertions.
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { DataPointType, MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { instrumentSageMakerRx } from '../../src/opentelemetry/index';

/** A reader that collects only when asked, as the SDK's own tests do. */
class PullMetricReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

export interface OtelHarness {
  readonly tracerProvider: BasicTracerProvider;
  spans(): ReadableSpan[];
  metrics(): Promise<MetricData[]>;
  /** Data points' count and sum of a histogram, over every attribute set matching `where`. */
  histogram(name: string, where?: (attributes: Record<string, unknown>) => boolean): Promise<{ count: number; sum: number; points: Array<{ attributes: Record<string, unknown>; count: number; sum: number }> }>;
  /** The sum of a counter or up-down counter (or the last values of a gauge) over matching attribute sets. */
  sum(name: string, where?: (attributes: Record<string, unknown>) => boolean): Promise<number>;
  reset(): void;
  close(): Promise<void>;
}

/** Enables the AsyncLocalStorage context manager (the Node SDK's) for the test file. */
export function enableContext(): () => void {
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  return () => {
    context.disable();
  };
}

export function startOtelHarness(): OtelHarness {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new PullMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const stop = instrumentSageMakerRx({ tracerProvider, meterProvider });

  const metrics = async (): Promise<MetricData[]> => {
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) throw errors[0];
    return resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
  };
  const find = async (name: string) => (await metrics()).find((m) => m.descriptor.name === name);
  return {
    tracerProvider,
    spans: () => exporter.getFinishedSpans(),
    metrics,
    async histogram(name, where = () => true) {
      const metric = await find(name);
      const points: Array<{ attributes: Record<string, unknown>; count: number; sum: number }> = [];
      if (metric && metric.dataPointType === DataPointType.HISTOGRAM) {
        for (const p of metric.dataPoints) {
          if (where(p.attributes)) points.push({ attributes: p.attributes, count: p.value.count, sum: p.value.sum ?? 0 });
        }
      }
      return { count: points.reduce((a, p) => a + p.count, 0), sum: points.reduce((a, p) => a + p.sum, 0), points };
    },
    async sum(name, where = () => true) {
      const metric = await find(name);
      if (!metric || metric.dataPointType === DataPointType.HISTOGRAM || metric.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM) return 0;
      return (metric.dataPoints as Array<{ attributes: Record<string, unknown>; value: number }>)
        .filter((p) => where(p.attributes))
        .reduce((a, p) => a + p.value, 0);
    },
    reset: () => exporter.reset(),
    async close() {
      stop();
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}
