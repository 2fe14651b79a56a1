/**
 * The emulator's HTTP server: its lifecycle, endpoints, request log, counters, object store
 * and async queue. Each request becomes an `Exchange` that runs through the request pipeline.
 * One instance per `startEmulator` call.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateEmulatorOptions } from '../emulator-config.js';
import { EndpointState } from '../endpoints/endpoint-state.js';
import { AsyncInferences } from '../operations/async-inference.js';
import { ObjectStore } from '../s3/object-store.js';
import type { Emulator, EmulatorStats, EndpointConfig, EndpointStats, RecordedRequest } from '../types.js';
import { answerPreflight, isPreflight, setCorsHeaders } from './cors.js';
import { Exchange, type ExchangeObserver } from './exchange.js';
import { runPipeline, type PipelineServices } from './request-pipeline.js';
import type { ResolvedEmulatorOptions } from './resolved-options.js';

export type { ResolvedEmulatorOptions } from './resolved-options.js';

interface Waiter {
  predicate: (r: RecordedRequest) => boolean;
  resolve: (r: RecordedRequest) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** The running emulator. */
export class EmulatorServer implements Emulator, PipelineServices, ExchangeObserver {
  readonly requests: RecordedRequest[] = [];
  readonly stats: EmulatorStats = { inFlight: 0, maxInFlight: 0, total: 0, byStatus: {} };
  readonly store = new ObjectStore();
  readonly asyncInferences: AsyncInferences;
  private readonly server: Server;
  private readonly endpoints = new Map<string, EndpointState>();
  /** Requests not yet closed, aborted when the emulator closes. */
  private readonly open = new Set<Exchange>();
  private readonly waiters = new Set<Waiter>();
  private closing: Promise<void> | undefined;
  private boundPort = 0;

  constructor(readonly options: ResolvedEmulatorOptions) {
    for (const [name, config] of Object.entries(options.endpoints)) this.setEndpoint(name, config);
    this.asyncInferences = new AsyncInferences(this.store, (record) => this.notify(record));
    this.server = createServer((req, res) => this.handle(req, res));
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

  get objects(): ObjectStore {
    return this.store;
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

  endpoint(name: string): EndpointState | undefined {
    return this.endpoints.get(name);
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

  asyncIdle(): Promise<void> {
    return this.asyncInferences.idle();
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
      this.asyncInferences.abortAll();
      for (const ex of this.open) ex.close();
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

  /** The exchange's record changed: re-check the waiters. */
  recordChanged(record: RecordedRequest): void {
    this.notify(record);
  }

  /** The exchange wrote an answer with this status. */
  countStatus(status: number): void {
    this.stats.byStatus[status] = (this.stats.byStatus[status] ?? 0) + 1;
  }

  /** Re-checks pending `waitForRequest` calls against the record that changed. */
  private notify(record: RecordedRequest): void {
    if (this.waiters.size === 0) return;
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

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.options.cors) {
      setCorsHeaders(req, res);
      // A preflight is the browser's question, not a request to the service: answered, not logged.
      if (isPreflight(req)) {
        req.resume();
        answerPreflight(req, res);
        return;
      }
    }
    const ex = new Exchange(req, res, this);
    this.log(ex.record);
    this.stats.total += 1;
    this.stats.inFlight += 1;
    if (this.stats.inFlight > this.stats.maxInFlight) this.stats.maxInFlight = this.stats.inFlight;
    this.open.add(ex);
    res.on('close', () => this.closed(ex));
    this.notify(ex.record);
    void runPipeline(ex, this);
  }

  /** The request's response closed: finished, or the client (or a reset, or the emulator) ended it. */
  private closed(ex: Exchange): void {
    if (!ex.res.writableFinished && !ex.destroyedByServer && !this.closing) ex.record.closedByClient = true;
    ex.record.completedAt = Date.now();
    this.stats.inFlight -= 1;
    ex.admittedTo?.release();
    clearTimeout(ex.modelTimer);
    ex.close();
    this.open.delete(ex);
    this.notify(ex.record);
  }
}
