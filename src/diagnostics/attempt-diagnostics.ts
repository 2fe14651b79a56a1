/**
 * The diagnostics of one attempt, for the attempt engine: it publishes the attempt's facts on the
 * channels that have subscribers and writes them to the client's logger. It exists only while
 * someone listens (`startAttemptDiagnostics` returns undefined otherwise), so an attempt nobody
 * watches pays one check.
 */
import type { AnyInvokeEvent, SentRequest } from '../events/invoke-event.js';
import { requestIdOf } from '../protocol/deserialize.js';
import type { OperationName } from '../model/operations.js';
import { attemptChannelsActive, channels } from './channels.js';
import { errorFacts } from './error-facts.js';
import { attemptEndFact, attemptFirstChunkFact, attemptHeadersFact, attemptStartFact, type LogFact } from './log-facts.js';
import { writeLog, type Logger } from './logger.js';
import type { AttemptEndMessage, DiagnosticsCall, DiagnosticsInvocation, DiagnosticsOutcome } from './messages.js';

/** The clock of every diagnostics time: epoch ms with sub-millisecond precision. */
export function diagnosticsNow(): number {
  return performance.timeOrigin + performance.now();
}

let lastInvocationId = 0;

/** What the attempt engine knows when the request is sent. */
export interface AttemptDiagnosticsInit {
  readonly operation: OperationName;
  /** The operation's input, as given (read for the endpoint name and targets). */
  readonly input: unknown;
  readonly endpoint: URL;
  readonly region: string | undefined;
  readonly request: SentRequest;
  /** The call captured when the attempt was subscribed. */
  readonly call: DiagnosticsCall | undefined;
  /** Epoch ms of the subscription (`diagnosticsNow()` then). */
  readonly startTime: number;
  readonly logger: Logger | undefined;
}

/** The facts of one attempt after it was sent. Each method is a no-op once the attempt ended. */
export interface AttemptDiagnostics {
  /** The response status and headers arrived. */
  headers(statusCode: number, headers: Readonly<Record<string, string>>): void;
  /** An event of the attempt went by (after secrets were scrubbed): chunks and the terminal event are noted. */
  event(event: AnyInvokeEvent): void;
  /** The subscriber unsubscribed before the terminal event. */
  cancelled(): void;
  /** The attempt ended with a defect (an error notification). */
  defect(error: unknown): void;
}

/**
 * Starts the diagnostics of an attempt that was just sent, and publishes its start. Returns
 * undefined when no attempt channel has a subscriber and there is no logger.
 */
export function startAttemptDiagnostics(init: AttemptDiagnosticsInit): AttemptDiagnostics | undefined {
  if (init.logger === undefined && !attemptChannelsActive()) return undefined;
  return new AttemptRecorder(init);
}

function stringMember(input: unknown, name: string): string | undefined {
  const value = (input as Record<string, unknown> | null | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

class AttemptRecorder implements AttemptDiagnostics {
  private readonly invocation: DiagnosticsInvocation;
  private readonly logger: Logger | undefined;
  private chunks = 0;
  private statusCode: number | undefined;
  private requestId: string | undefined;
  private ended = false;

  constructor(init: AttemptDiagnosticsInit) {
    const { endpoint, call, input } = init;
    const targetVariant = stringMember(input, 'TargetVariant');
    const targetModel = stringMember(input, 'TargetModel');
    const inferenceComponentName = stringMember(input, 'InferenceComponentName');
    this.invocation = {
      id: ++lastInvocationId,
      call,
      operation: init.operation,
      endpointName: stringMember(input, 'EndpointName') ?? '',
      region: init.region,
      serverAddress: endpoint.hostname,
      serverPort: endpoint.port !== '' ? Number(endpoint.port) : endpoint.protocol === 'http:' ? 80 : 443,
      attempt: call !== undefined && call.attempt > 0 ? call.attempt : 1,
      ...(targetVariant !== undefined ? { targetVariant } : {}),
      ...(targetModel !== undefined ? { targetModel } : {}),
      ...(inferenceComponentName !== undefined ? { inferenceComponentName } : {}),
      request: init.request,
      startTime: init.startTime,
    };
    this.logger = init.logger;
    if (call !== undefined) {
      call.operation = init.operation;
      call.endpointName = this.invocation.endpointName;
      if (init.logger !== undefined) call.logger = init.logger;
    }
    const message = { invocation: this.invocation };
    if (channels.attemptStart.hasSubscribers) channels.attemptStart.publish(message);
    this.log(this.logger && attemptStartFact(message));
  }

  headers(statusCode: number, headers: Readonly<Record<string, string>>): void {
    if (this.ended) return;
    this.statusCode = statusCode;
    this.requestId = requestIdOf(headers);
    if (!channels.attemptHeaders.hasSubscribers && this.logger === undefined) return;
    const message = {
      invocation: this.invocation,
      statusCode,
      ...(this.requestId !== undefined ? { requestId: this.requestId } : {}),
      time: diagnosticsNow(),
    };
    if (channels.attemptHeaders.hasSubscribers) channels.attemptHeaders.publish(message);
    this.log(this.logger && attemptHeadersFact(message));
  }

  event(event: AnyInvokeEvent): void {
    if (this.ended) return;
    switch (event.type) {
      case 'chunk': {
        this.chunks += 1;
        if (this.chunks !== 1 || (!channels.attemptFirstChunk.hasSubscribers && this.logger === undefined)) return;
        const time = diagnosticsNow();
        const message = { invocation: this.invocation, bytes: event.bytes.byteLength, timeToFirstChunkMs: time - this.invocation.startTime, time };
        if (channels.attemptFirstChunk.hasSubscribers) channels.attemptFirstChunk.publish(message);
        this.log(this.logger && attemptFirstChunkFact(message));
        return;
      }
      case 'response':
      case 'accepted': {
        const output = event.output as { $metadata?: { httpStatusCode?: number; requestId?: string }; InvokedProductionVariant?: unknown } | undefined;
        const variant = output?.InvokedProductionVariant;
        this.end(event.type, {
          statusCode: output?.$metadata?.httpStatusCode ?? this.statusCode,
          requestId: output?.$metadata?.requestId ?? this.requestId,
          ...(typeof variant === 'string' ? { invokedProductionVariant: variant } : {}),
        });
        return;
      }
      case 'error': {
        const error = errorFacts(event.error);
        this.end('error', { statusCode: error.statusCode ?? this.statusCode, requestId: error.requestId ?? this.requestId, error });
        return;
      }
      default:
        return;
    }
  }

  cancelled(): void {
    if (!this.ended) this.end('cancelled', { statusCode: this.statusCode, requestId: this.requestId });
  }

  defect(error: unknown): void {
    if (!this.ended) this.end('error', { statusCode: this.statusCode, requestId: this.requestId, error: errorFacts(error) });
  }

  private end(
    outcome: DiagnosticsOutcome,
    facts: Pick<AttemptEndMessage, 'statusCode' | 'requestId' | 'error' | 'invokedProductionVariant'>,
  ): void {
    this.ended = true;
    if (!channels.attemptEnd.hasSubscribers && this.logger === undefined) return;
    const time = diagnosticsNow();
    const message: AttemptEndMessage = {
      invocation: this.invocation,
      outcome,
      ...(facts.statusCode !== undefined ? { statusCode: facts.statusCode } : {}),
      ...(facts.requestId !== undefined ? { requestId: facts.requestId } : {}),
      durationMs: time - this.invocation.startTime,
      chunks: this.chunks,
      ...(facts.invokedProductionVariant !== undefined ? { invokedProductionVariant: facts.invokedProductionVariant } : {}),
      ...(facts.error !== undefined ? { error: facts.error } : {}),
      time,
    };
    if (channels.attemptEnd.hasSubscribers) channels.attemptEnd.publish(message);
    this.log(this.logger && attemptEndFact(message));
  }

  private log(fact: LogFact | undefined): void {
    if (fact !== undefined && this.logger !== undefined) writeLog(this.logger, fact.level, fact.fields, fact.message);
  }
}
