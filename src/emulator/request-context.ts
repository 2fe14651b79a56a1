/**
 * What an operation handler gets for one admitted request: the raw request and response,
 * its log record, its abort signal, the endpoint and the request as the model sees it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OperationName } from '../protocol/wire.js';
import type { EndpointState } from './endpoint-state.js';
import type { EmulatorErrorAnswer } from './error-response.js';
import type { ModelErrorContext } from './faults.js';
import type { ModelRequest, RecordedRequest } from './types.js';

/** One request being answered. */
export interface RequestContext {
  readonly id: string;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly record: RecordedRequest;
  /** Aborted when the client leaves or the emulator closes. */
  readonly signal: AbortSignal;
  readonly operation: OperationName;
  readonly endpoint: EndpointState;
  readonly modelRequest: ModelRequest;
  /** Endpoint, region and account for error messages. */
  readonly where: ModelErrorContext;
  /** Records the status (and error name) that was written. */
  answered(status: number, errorType?: string): void;
  /** Writes an error answer (unless the client has gone) and records it. */
  answerError(answer: EmulatorErrorAnswer): void;
  /** Re-checks pending `waitForRequest` calls after the record changed. */
  recordChanged(): void;
  /** Destroys the socket without answering (TCP reset where the platform allows). */
  resetConnection(): void;
}

/** Whether the response can still be written. */
export function canWrite(ctx: RequestContext): boolean {
  return !ctx.signal.aborted && !ctx.res.destroyed && !ctx.res.writableEnded;
}
