/**
 * One request and its answer as it goes through the pipeline: its log record, its abort
 * signals, what each stage found (route, body, endpoint, target, the request as the model sees
 * it), and the ways to answer it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EndpointState } from '../endpoints/endpoint-state.js';
import type { EndpointTarget } from '../endpoints/endpoint-target.js';
import type { ModelErrorContext } from '../endpoints/faults.js';
import type { ModelRequest, RecordedRequest } from '../types.js';
import { writeError, type EmulatorErrorAnswer } from '../wire/error-response.js';
import type { RequestContext } from './request-context.js';
import type { Route } from './routes.js';

/** Lower-case header map; repeated headers joined with `, `. */
function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** What the exchange tells the server about: its record changed, it was answered. */
export interface ExchangeObserver {
  recordChanged(record: RecordedRequest): void;
  countStatus(status: number): void;
}

/** One request being answered. */
export class Exchange {
  readonly id = randomUUID();
  readonly record: RecordedRequest;
  /** Aborted when the client leaves or the emulator closes. */
  readonly controller = new AbortController();
  /** Aborted with `controller`, and when the model runs out of time. */
  readonly modelController = new AbortController();
  readonly path: string;
  /** The query string, without `?`. */
  readonly query: string;
  body: Buffer = Buffer.alloc(0);
  route?: Route;
  endpoint?: EndpointState;
  target?: EndpointTarget;
  modelRequest?: ModelRequest;
  where?: ModelErrorContext;
  /** The endpoint that admitted the request (released when it closes). */
  admittedTo?: EndpointState;
  /** The socket was destroyed on purpose (a reset fault), not by the client. */
  destroyedByServer = false;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    private readonly observer: ExchangeObserver,
  ) {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    this.path = q < 0 ? url : url.slice(0, q);
    this.query = q < 0 ? '' : url.slice(q + 1);
    this.record = {
      id: this.id,
      operation: 'Unknown',
      method: req.method ?? '',
      path: this.path,
      headers: flattenHeaders(req),
      body: this.body,
      bodyLength: 0,
      receivedAt: Date.now(),
      closedByClient: false,
    };
    this.controller.signal.addEventListener('abort', () => this.modelController.abort(), { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Records the status (and error name) that was written. */
  answered(status: number, errorType?: string): void {
    this.record.status = status;
    if (errorType !== undefined) this.record.errorType = errorType;
    this.observer.countStatus(status);
    this.recordChanged();
  }

  /** Writes an error answer unless the client has gone or an answer already went out. */
  answerError(answer: EmulatorErrorAnswer, extraHeaders?: Record<string, string>): void {
    if (this.signal.aborted || this.res.headersSent || this.res.destroyed) return;
    this.answered(writeError(this.res, this.id, answer, extraHeaders), answer.name);
  }

  /** Destroys the socket without answering (TCP reset where the platform allows). */
  resetConnection(): void {
    this.destroyedByServer = true;
    const socket = this.req.socket as typeof this.req.socket & { resetAndDestroy?: () => void };
    if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else socket.destroy();
  }

  recordChanged(): void {
    this.observer.recordChanged(this.record);
  }

  /** The view an operation handler gets, once every stage before it has filled the exchange. */
  context(): RequestContext {
    const { route, endpoint, target, modelRequest, where } = this;
    if (route?.kind !== 'sagemaker' || !endpoint || !target || !modelRequest || !where) {
      throw new Error('the exchange is not ready for an operation handler');
    }
    return {
      id: this.id,
      req: this.req,
      res: this.res,
      record: this.record,
      signal: this.signal,
      operation: route.operation,
      endpoint,
      target,
      modelRequest,
      where,
      answered: (status, errorType) => this.answered(status, errorType),
      answerError: (answer) => this.answerError(answer),
      recordChanged: () => this.recordChanged(),
      resetConnection: () => this.resetConnection(),
    };
  }
}
