/**
 * Runs accepted async inferences after their 202, as the service does from its queue: waits
 * the endpoint's latency, applies the model fault drawn at acceptance, runs the model within
 * `InvocationTimeoutSeconds`, and writes the output object or the failure object to the
 * emulator's S3-compatible store.
 */
import { DEFAULT_CONTENT_TYPE } from '../../model/index.js';
import { cancellableSleep } from '../cancellable-sleep.js';
import { MESSAGES } from '../constants.js';
import type { EndpointState } from '../endpoints/endpoint-state.js';
import type { EndpointTarget } from '../endpoints/endpoint-target.js';
import { injectedModelErrorBody } from '../endpoints/faults.js';
import { collectChunks, runModel, toBytes } from '../models/run-model.js';
import type { ObjectStore } from '../s3/object-store.js';
import type { FaultName, ModelRequest, RecordedRequest } from '../types.js';

/** One accepted inference. */
export interface AsyncJob {
  endpoint: EndpointState;
  target: EndpointTarget;
  /** The request as the container will see it; its body is replaced by the `InputLocation` object. */
  modelRequest: Omit<ModelRequest, 'signal'>;
  /** `InputLocation`, when the input is an object rather than the body. */
  inputLocation?: string;
  outputLocation: string;
  failureLocation: string;
  /** The model fault drawn at acceptance (`modelError`, `dependencyError`), applied after the latency. */
  fault?: FaultName;
  latencyMs: number;
  timeoutMs: number;
  record: RecordedRequest;
}

/** What a finished job wrote. */
type Outcome = { kind: 'output' | 'failure'; body: Buffer; contentType: string };

const text = (message: string): Outcome => ({ kind: 'failure', body: Buffer.from(message, 'utf8'), contentType: 'text/plain' });

/** The queue of running async inferences of one emulator. */
export class AsyncInferences {
  private readonly running = new Set<Promise<void>>();
  private readonly controller = new AbortController();

  constructor(
    private readonly store: ObjectStore,
    private readonly recordChanged: (record: RecordedRequest) => void,
  ) {}

  /** Starts a job in the background. */
  start(job: AsyncJob): void {
    const run = this.run(job).finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Resolves once every job started so far has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Aborts every running job (the emulator is closing); none writes afterwards. */
  abortAll(): void {
    this.controller.abort();
  }

  private async run(job: AsyncJob): Promise<void> {
    const signal = this.controller.signal;
    const outcome = await this.outcome(job, signal).catch((err: unknown) => text(err instanceof Error ? err.message : String(err)));
    if (signal.aborted || outcome === undefined) return;
    this.store.set(outcome.kind === 'output' ? job.outputLocation : job.failureLocation, { body: outcome.body, contentType: outcome.contentType });
    job.record.asyncOutcome = outcome.kind;
    this.recordChanged(job.record);
  }

  private async outcome(job: AsyncJob, closing: AbortSignal): Promise<Outcome | undefined> {
    let body = job.modelRequest.body;
    if (job.inputLocation !== undefined) {
      const input = this.store.get(job.inputLocation);
      if (!input) return text(`Failed to download the input from ${job.inputLocation}: no such object in the emulator's store.`);
      body = input.body;
    }
    if (job.latencyMs > 0 && !(await cancellableSleep(job.latencyMs, closing))) return undefined;
    if (job.fault === 'modelError') return { kind: 'failure', body: Buffer.from(injectedModelErrorBody(job.endpoint.config.faults?.modelErrorStatus ?? 500)), contentType: 'application/json' };
    if (job.fault === 'dependencyError') return text(MESSAGES.dependencyFailure);

    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), job.timeoutMs);
    const signal = AbortSignal.any([closing, timeout.signal]);
    const request: ModelRequest = { ...job.modelRequest, body, signal };
    const timedOut = new Promise<'timeout'>((resolve) => signal.addEventListener('abort', () => resolve('timeout'), { once: true }));
    try {
      const produced = await Promise.race([runModel(job.target.model, job.endpoint.config.generator, request, 'InvokeEndpointAsync'), timedOut]);
      if (closing.aborted) return undefined;
      if (produced === 'timeout') return text(MESSAGES.modelTimeout(job.target.container));
      if (produced.kind === 'stream') {
        return { kind: 'output', body: await collectChunks(produced.chunks, signal), contentType: produced.contentType ?? DEFAULT_CONTENT_TYPE };
      }
      const status = produced.response.status ?? 200;
      const bytes = toBytes(produced.response.body);
      const contentType = produced.response.contentType ?? DEFAULT_CONTENT_TYPE;
      // A container's error answer is what the service puts at the failure location.
      return { kind: status >= 200 && status <= 299 ? 'output' : 'failure', body: bytes, contentType };
    } finally {
      clearTimeout(timer);
    }
  }
}
