/**
 * Publication helpers for the operators: each checks its channel's `hasSubscribers` first, so an
 * operator nobody watches pays one boolean read per fact.
 */
import type { SageMakerRuntimeError } from '../errors/sagemaker-runtime-error.js';
import { channels } from './channels.js';
import { errorFacts } from './error-facts.js';
import { retryScheduledFact } from './log-facts.js';
import { writeLog } from './logger.js';
import type { DiagnosticsCall, DiagnosticsLimiter, DiagnosticsOutcome } from './messages.js';

/** `retryInvocation` scheduled attempt `attempt + 1` after `delayMs`, because of `error`. */
export function publishRetryScheduled(call: DiagnosticsCall, attempt: number, delayMs: number, error: SageMakerRuntimeError): void {
  const logger = call.logger;
  if (!channels.retryScheduled.hasSubscribers && logger === undefined) return;
  const message = { call, attempt, delayMs, error: errorFacts(error) };
  if (channels.retryScheduled.hasSubscribers) channels.retryScheduled.publish(message);
  if (logger !== undefined) {
    const fact = retryScheduledFact(message);
    writeLog(logger, fact.level, fact.fields, fact.message);
  }
}

/** A call made through `retryInvocation` ended after `attempts` attempts. */
export function publishCallEnd(call: DiagnosticsCall, attempts: number, outcome: DiagnosticsOutcome, error?: SageMakerRuntimeError): void {
  if (!channels.callEnd.hasSubscribers) return;
  channels.callEnd.publish({ call, attempts, outcome, ...(error !== undefined ? { error: errorFacts(error) } : {}) });
}

/** `throttleInvocations` queued an invocation behind `position` others. */
export function publishLimiterQueued(limiter: DiagnosticsLimiter, position: number): void {
  if (channels.limiterQueued.hasSubscribers) channels.limiterQueued.publish({ limiter, position });
}

/** A limiter granted a permit after `waitedMs` (0: at once). */
export function publishLimiterGranted(limiter: DiagnosticsLimiter, waitedMs: number): void {
  if (channels.limiterGranted.hasSubscribers) channels.limiterGranted.publish({ limiter, waitedMs });
}

/** `batchInvocations` is sending batch `batchId` of `size` items in `bytes` bytes. */
export function publishBatchSent(endpointName: string, batchId: number, size: number, bytes: number): void {
  if (channels.batchSent.hasSubscribers) channels.batchSent.publish({ endpointName, batchId, size, bytes });
}
