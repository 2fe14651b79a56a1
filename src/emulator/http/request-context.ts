/**
 * What an operation handler gets for one admitted request: the raw request and response,
 * its log record, its abort signals, the endpoint, the model that serves it and the request as
 * the model sees it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OperationName } from '../../model/index.js';
import type { EndpointState } from '../endpoints/endpoint-state.js';
import type { EndpointTarget } from '../endpoints/endpoint-target.js';
import type { ModelErrorContext } from '../endpoints/faults.js';
import type { ModelRequest, RecordedRequest } from '../types.js';
import type { EmulatorErrorAnswer } from '../wire/error-response.js';

/** One request being answered. */
export interface RequestContext {
  readonly id: string;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly record: RecordedRequest;
  /** Aborted when the client leaves or the emulator closes (made on first read). */
  readonly signal: AbortSignal;
  /** The client left or the emulator closed: `signal.aborted` without making the signal. */
  readonly closed: boolean;
  readonly operation: OperationName;
  readonly endpoint: EndpointState;
  /** The model (variant, component, container) that serves the request. */
  readonly target: EndpointTarget;
  /** The request as the container sees it; its `signal` also aborts when the model runs out of time. */
  readonly modelRequest: ModelRequest;
  /** Endpoint, region, account and container for error messages. */
  readonly where: ModelErrorContext;
  /** Records the status (and error name) that was written. */
  answered(status: number, errorType?: string): void;
  /** Writes an error answer (unless the client has gone or an answer went out) and records it. */
  answerError(answer: EmulatorErrorAnswer): void;
  /** Re-checks pending `waitForRequest` calls after the record changed. */
  recordChanged(): void;
  /** Destroys the socket without answering (TCP reset where the platform allows). */
  resetConnection(): void;
}

/** Whether the response can still be written. */
export function canWrite(ctx: Pick<RequestContext, 'closed' | 'res'>): boolean {
  return !ctx.closed && !ctx.res.destroyed && !ctx.res.writableEnded && !ctx.res.headersSent;
}

/** Whether a response already under way (headers sent) can still be written to. */
export function canContinue(ctx: Pick<RequestContext, 'closed' | 'res'>): boolean {
  return !ctx.closed && !ctx.res.destroyed && !ctx.res.writableEnded;
}
