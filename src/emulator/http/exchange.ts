/**
 * One request and its answer as it goes through the pipeline: its log record, its abort
 * signals, what each stage found (route, body, endpoint, target, the request as the model sees
 * it), and the ways to answer it.
 *
 * The abort signals are made on first read: most requests are answered before anything listens
 * to one, and an `AbortController` aborted at every close (its `DOMException`, its event) was a
 * large share of a small request's cost. `closed` and `modelEnded` are the same facts as plain
 * booleans for the checks on the hot path.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OperationName } from '../../model/index.js';
import type { EndpointState } from '../endpoints/endpoint-state.js';
import type { EndpointTarget } from '../endpoints/endpoint-target.js';
import type { ModelErrorContext } from '../endpoints/faults.js';
import type { ModelRequest, RecordedRequest } from '../types.js';
import { writeError, type EmulatorErrorAnswer } from '../wire/error-response.js';
import type { RequestContext } from './request-context.js';
import type { Route } from './routes.js';

const EMPTY = Buffer.alloc(0);

/**
 * Lower-case header map; repeated headers joined with `, `. Node's own map is used as it is
 * unless a value is an array (only `set-cookie` can be), which is the rare case worth a copy.
 */
function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers = req.headers;
  for (const name in headers) {
    if (typeof headers[name] !== 'string') return copyHeaders(headers);
  }
  return headers as Record<string, string>;
}

function copyHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
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
  readonly path: string;
  /** The query string, without `?`. */
  readonly query: string;
  body: Buffer = EMPTY;
  route?: Route;
  endpoint?: EndpointState;
  target?: EndpointTarget;
  modelRequest?: ModelRequest;
  where?: ModelErrorContext;
  /** The endpoint that admitted the request (released when it closes). */
  admittedTo?: EndpointState;
  /** The socket was destroyed on purpose (a reset fault), not by the client. */
  destroyedByServer = false;
  /** The model clock (cleared when the request closes). */
  modelTimer?: NodeJS.Timeout;
  /** The client left or the emulator closed: what `signal.aborted` says. */
  closed = false;
  /** Closed, or the model ran out of time: what the model's `signal.aborted` says. */
  modelEnded = false;
  private requestAbort?: AbortController;
  private modelAbort?: AbortController;

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
      body: EMPTY,
      bodyLength: 0,
      receivedAt: Date.now(),
      closedByClient: false,
    };
  }

  /** Aborted when the client leaves or the emulator closes. */
  get signal(): AbortSignal {
    return (this.requestAbort ??= abortController(this.closed)).signal;
  }

  /** Aborted with `signal`, and when the model runs out of time. */
  get modelSignal(): AbortSignal {
    return (this.modelAbort ??= abortController(this.modelEnded)).signal;
  }

  /** The client left or the emulator is closing: aborts both signals. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.requestAbort?.abort();
    this.endModel();
  }

  /** The model's time is over (closed, or the model clock ran out): aborts the model's signal. */
  endModel(): void {
    if (this.modelEnded) return;
    this.modelEnded = true;
    this.modelAbort?.abort();
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
    if (this.closed || this.res.headersSent || this.res.destroyed) return;
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

  /** The operation of a SageMaker route. */
  get operation(): OperationName {
    return (this.route as { operation: OperationName }).operation;
  }

  /**
   * The view an operation handler gets, once every stage before it has filled the exchange:
   * the exchange itself, so a request costs no second object and no bound methods.
   */
  context(): RequestContext {
    const { route, endpoint, target, modelRequest, where } = this;
    if (route?.kind !== 'sagemaker' || !endpoint || !target || !modelRequest || !where) {
      throw new Error('the exchange is not ready for an operation handler');
    }
    return this as unknown as RequestContext;
  }
}

function abortController(aborted: boolean): AbortController {
  const controller = new AbortController();
  if (aborted) controller.abort();
  return controller;
}
