/**
 * The emulator's HTTP server: records every request, then routes, authenticates, validates,
 * admits, delays and faults it before the operation handler answers. One instance per
 * `startEmulator` call.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REQUEST_HEADERS, type OperationName } from '../protocol/wire.js';
import { cancellableSleep } from './cancellable-sleep.js';
import { HARD_BODY_LIMIT_BYTES, MESSAGES } from './constants.js';
import { validateEmulatorOptions } from './emulator-config.js';
import { EndpointState } from './endpoint-state.js';
import { writeError, type EmulatorErrorAnswer } from './error-response.js';
import {
  dependencyErrorAnswer,
  drawFault,
  drawLatency,
  injectedModelErrorBody,
  modelErrorAnswer,
  serverErrorAnswer,
  throttleAnswer,
  type ModelErrorContext,
} from './faults.js';
import { validateInput } from './input-validation.js';
import { invokeEndpointAsync } from './operations/invoke-endpoint-async.js';
import { invokeEndpointWithResponseStream } from './operations/invoke-endpoint-with-response-stream.js';
import { invokeEndpoint } from './operations/invoke-endpoint.js';
import type { RequestContext } from './request-context.js';
import { matchRoute } from './routes.js';
import { answerPreflight, isPreflight, setCorsHeaders } from './http/cors.js';
import { verifySigV4 } from './sigv4-verifier.js';
import type {
  Emulator,
  EmulatorCredential,
  EmulatorStats,
  EndpointConfig,
  EndpointStats,
  ModelRequest,
  RecordedRequest,
} from './types.js';

/** Options with every default applied. */
export interface ResolvedEmulatorOptions {
  port: number;
  host: string;
  region: string;
  credentials: EmulatorCredential[] | false;
  endpoints: Record<string, EndpointConfig>;
  accountId: string;
  seed: number;
  clockSkewMs: number;
  /** Most requests kept in `requests` (0: none, Infinity: all). */
  recordRequests: number;
  cors: boolean;
}

const HANDLERS: Readonly<Record<OperationName, (ctx: RequestContext) => Promise<void>>> = {
  InvokeEndpoint: invokeEndpoint,
  InvokeEndpointWithResponseStream: invokeEndpointWithResponseStream,
  InvokeEndpointAsync: invokeEndpointAsync,
};

interface Waiter {
  predicate: (r: RecordedRequest) => boolean;
  resolve: (r: RecordedRequest) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** Lower-case header map; repeated headers joined with `, `. */
function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function parseQuery(search: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(search)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** The body `InvokeEndpointAsync` counts: the AWS SDK's `{}` placeholder beside `InputLocation` is no body (reference §6). */
function asyncBodyLength(body: Buffer, headers: Record<string, string>): number {
  const hasLocation = headers[REQUEST_HEADERS.InvokeEndpointAsync.InputLocation] !== undefined;
  return hasLocation && body.toString('utf8').trim() === '{}' ? 0 : body.length;
}

/** The running emulator. */
export class EmulatorServer implements Emulator {
  readonly requests: RecordedRequest[] = [];
  readonly stats: EmulatorStats = { inFlight: 0, maxInFlight: 0, total: 0, byStatus: {} };
  private readonly server: Server;
  private readonly endpoints = new Map<string, EndpointState>();
  private readonly controllers = new Set<AbortController>();
  private readonly waiters = new Set<Waiter>();
  private closing: Promise<void> | undefined;
  private boundPort = 0;

  constructor(private readonly options: ResolvedEmulatorOptions) {
    for (const [name, config] of Object.entries(options.endpoints)) this.setEndpoint(name, config);
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return `http://${host}:${this.boundPort}`;
  }

  get region(): string {
    return this.options.region;
  }

  /** Binds the server; resolves once it listens. */
  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        this.boundPort = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  endpointStats(name: string): EndpointStats {
    const state = this.endpoints.get(name);
    return state ? { ...state.stats } : { inFlight: 0, maxInFlight: 0, total: 0, throttled: 0 };
  }

  setEndpoint(name: string, config: EndpointConfig): void {
    // The same checks as startEmulator's: a typo must not silently disable a fault at run time either.
    validateEmulatorOptions({ endpoints: { [name]: config } }, { allowFunctions: true });
    const existing = this.endpoints.get(name);
    if (existing) existing.config = config;
    else this.endpoints.set(name, new EndpointState(name, config, this.options.seed));
  }

  removeEndpoint(name: string): void {
    this.endpoints.delete(name);
  }

  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs = 5_000): Promise<RecordedRequest> {
    const found = this.requests.find(predicate);
    if (found) return Promise.resolve(found);
    if (this.closing) return Promise.reject(new Error('waitForRequest: the emulator is closed'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`waitForRequest: no matching request within ${timeoutMs} ms (${this.requests.length} recorded)`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  reset(): void {
    this.requests.length = 0;
    this.stats.total = 0;
    this.stats.maxInFlight = this.stats.inFlight;
    for (const key of Object.keys(this.stats.byStatus)) delete this.stats.byStatus[Number(key)];
    for (const state of this.endpoints.values()) state.reset();
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const waiter of this.waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error('waitForRequest: the emulator was closed'));
      }
      this.waiters.clear();
      for (const controller of this.controllers) controller.abort();
      if (!this.server.listening) {
        resolve();
        return;
      }
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  /** Keeps the record in the bounded log (the newest `recordRequests`); a record dropped here still notifies waiters. */
  private log(record: RecordedRequest): void {
    const limit = this.options.recordRequests;
    if (limit <= 0) return;
    this.requests.push(record);
    if (this.requests.length > limit) this.requests.splice(0, this.requests.length - limit);
  }

  /** Re-checks pending `waitForRequest` calls against the record that changed. */
  private notify(record: RecordedRequest): void {
    for (const waiter of this.waiters) {
      let matched = false;
      try {
        matched = waiter.predicate(record);
      } catch (err) {
        clearTimeout(waiter.timer);
        this.waiters.delete(waiter);
        waiter.reject(err instanceof Error ? err : new Error(String(err)));
        continue;
      }
      if (matched) {
        clearTimeout(waiter.timer);
        this.waiters.delete(waiter);
        waiter.resolve(record);
      }
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.options.cors) {
      setCorsHeaders(req, res);
      // A preflight is the browser's question, not a request to the service: answered, not logged.
      if (isPreflight(req)) {
        req.resume();
        answerPreflight(req, res);
        return;
      }
    }
    const id = randomUUID();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const route = matchRoute(req.method ?? '', path);
    const record: RecordedRequest = {
      id,
      operation: route?.operation ?? 'Unknown',
      method: req.method ?? '',
      path,
      headers: flattenHeaders(req),
      body: Buffer.alloc(0),
      receivedAt: Date.now(),
      closedByClient: false,
    };
    if (route) record.endpointName = route.endpointName;
    this.log(record);
    this.stats.total += 1;
    this.stats.inFlight += 1;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.stats.inFlight);

    const controller = new AbortController();
    this.controllers.add(controller);
    let admittedTo: EndpointState | undefined;
    let destroyedByServer = false;
    res.once('close', () => {
      if (!res.writableFinished && !destroyedByServer && !this.closing) record.closedByClient = true;
      record.completedAt = Date.now();
      this.stats.inFlight -= 1;
      admittedTo?.release();
      controller.abort();
      this.controllers.delete(controller);
      this.notify(record);
    });

    const answered = (status: number, errorType?: string) => {
      record.status = status;
      if (errorType !== undefined) record.errorType = errorType;
      this.stats.byStatus[status] = (this.stats.byStatus[status] ?? 0) + 1;
      this.notify(record);
    };
    const answerError = (answer: EmulatorErrorAnswer, extraHeaders?: Record<string, string>) => {
      if (controller.signal.aborted || res.headersSent || res.destroyed) return;
      answered(writeError(res, id, answer, extraHeaders), answer.name);
    };
    const resetConnection = () => {
      destroyedByServer = true;
      const socket = req.socket as typeof req.socket & { resetAndDestroy?: () => void };
      if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket.destroy();
    };

    try {
      const body = await this.readBody(req, controller.signal);
      if (body === undefined) {
        if (!controller.signal.aborted) {
          answerError({ name: 'ValidationError', message: `Request body exceeds ${HARD_BODY_LIMIT_BYTES} bytes.` }, { Connection: 'close' });
        }
        return;
      }
      record.body = body;
      this.notify(record);
      if (!route) {
        answerError({ name: 'UnknownOperationException', message: MESSAGES.unknownOperation });
        return;
      }

      if (this.options.credentials !== false) {
        const verdict = await verifySigV4(
          { method: record.method, path, query: parseQuery(q < 0 ? '' : url.slice(q + 1)), headers: record.headers, body },
          { region: this.options.region, credentials: this.options.credentials, clockSkewMs: this.options.clockSkewMs },
        );
        if (!verdict.ok) {
          answerError(verdict.error);
          return;
        }
      }

      const { operation, endpointName } = route;
      const bodyLength = operation === 'InvokeEndpointAsync' ? asyncBodyLength(body, record.headers) : body.length;
      const invalid = validateInput({ operation, endpointName, headers: record.headers, bodyLength }) ?? this.validateAsync(operation, bodyLength, record.headers);
      if (invalid !== undefined) {
        answerError({ name: 'ValidationError', message: invalid });
        return;
      }

      const endpoint = this.endpoints.get(endpointName);
      if (!endpoint) {
        answerError({ name: 'ValidationError', message: `Endpoint ${endpointName} of account ${this.options.accountId} not found.` });
        return;
      }
      endpoint.stats.total += 1;
      const faults = endpoint.config.faults;

      const refusal = endpoint.admit(Date.now());
      if (refusal !== undefined) {
        endpoint.stats.throttled += 1;
        answerError(throttleAnswer(refusal === 'concurrency' ? faults?.overConcurrencyAs : faults?.throttleAs));
        return;
      }
      admittedTo = endpoint;

      const headerOf = REQUEST_HEADERS[operation];
      const modelRequest: ModelRequest = {
        body: operation === 'InvokeEndpointAsync' && bodyLength === 0 ? Buffer.alloc(0) : body,
        headers: record.headers,
        endpointName,
        operation,
        signal: controller.signal,
      };
      const contentType = record.headers[headerOf.ContentType];
      const accept = record.headers[headerOf.Accept];
      const customAttributes = record.headers[headerOf.CustomAttributes];
      if (contentType !== undefined) modelRequest.contentType = contentType;
      if (accept !== undefined) modelRequest.accept = accept;
      if (customAttributes !== undefined) modelRequest.customAttributes = customAttributes;

      const latency = drawLatency(faults, endpoint.random);
      if (latency > 0 && !(await cancellableSleep(latency, controller.signal))) return;

      const where: ModelErrorContext = { endpointName, region: this.options.region, accountId: this.options.accountId };
      const fault = drawFault(faults, endpoint.random, modelRequest);
      switch (fault) {
        case 'reset':
          resetConnection();
          return;
        case 'throttle':
          endpoint.stats.throttled += 1;
          answerError(throttleAnswer(faults?.throttleAs));
          return;
        case 'serverError':
          answerError(serverErrorAnswer(faults?.serverErrorStatus));
          return;
        case 'dependencyError':
          answerError(dependencyErrorAnswer());
          return;
        case 'modelError': {
          const status = faults?.modelErrorStatus ?? 500;
          answerError(modelErrorAnswer(where, status, injectedModelErrorBody(status)));
          return;
        }
        default:
          break;
      }

      const ctx: RequestContext = {
        id,
        req,
        res,
        record,
        signal: controller.signal,
        operation,
        endpoint,
        modelRequest,
        where,
        answered,
        answerError,
        resetConnection,
        recordChanged: () => this.notify(record),
      };
      try {
        await HANDLERS[operation](ctx);
      } catch (err) {
        if (controller.signal.aborted) return;
        if (!res.headersSent) {
          // A model function threw: the container failed, as a 500 from the container.
          answerError(modelErrorAnswer(where, 500, err instanceof Error ? err.message : String(err)));
        } else {
          res.destroy();
        }
      }
    } catch (err) {
      if (!res.headersSent && !res.destroyed) {
        answerError({ name: 'InternalFailure', message: `${MESSAGES.internalFailure} (${err instanceof Error ? err.message : String(err)})` });
      } else {
        res.destroy();
      }
    }
  }

  /** `InputLocation` xor a body (reference §1.7). */
  private validateAsync(operation: OperationName, bodyLength: number, headers: Record<string, string>): string | undefined {
    if (operation !== 'InvokeEndpointAsync') return undefined;
    const hasLocation = headers[REQUEST_HEADERS.InvokeEndpointAsync.InputLocation] !== undefined;
    const hasBody = bodyLength > 0;
    if (hasLocation && hasBody) return 'InputLocation and Body are mutually exclusive: provide exactly one of them.';
    if (!hasLocation && !hasBody) return 'Either InputLocation or Body must be provided.';
    return undefined;
  }

  /** Reads the whole body; undefined when it passes the hard limit or the client leaves. */
  private async readBody(req: IncomingMessage, signal: AbortSignal): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      // Keep reading past the limit (dropping the bytes): leaving the loop would destroy the socket.
      for await (const chunk of req) {
        const buf = chunk as Buffer;
        size += buf.length;
        if (size <= HARD_BODY_LIMIT_BYTES) chunks.push(buf);
      }
    } catch {
      return undefined;
    }
    return signal.aborted || size > HARD_BODY_LIMIT_BYTES ? undefined : Buffer.concat(chunks);
  }
}
