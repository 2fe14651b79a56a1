/**
 * The attempt pipeline every operation shares: for one operation and its input, a cold
 * Observable that per subscription validates (once per input), resolves credentials, signs with
 * a fresh date, emits `sent`, sends through the transport and hands the response to an
 * operation-specific handler that emits the rest. The AbortController, timing, error mapping
 * and teardown live here, so `invokeEndpoint$`, `invokeEndpointWithResponseStream$` and
 * `invokeEndpointAsync$` differ only in their handler.
 */
import { Observable } from 'rxjs';
import { ClientDestroyedError, CredentialsError, InvalidRequestError, NetworkError, RedirectError, ResponseTooLargeError } from '../errors/client-errors.js';
import { redactSecrets } from '../errors/redact-error.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../defaults.js';
import { responseMetadata } from '../protocol/deserialize.js';
import { snapshotInput, SNAPSHOT_RULES } from '../protocol/snapshot-input.js';
import { readBody } from './read-body.js';
import { isSageMakerRuntimeError, type ResponseMetadata, type SageMakerRuntimeError } from '../errors/sagemaker-runtime-error.js';
import { errorEvent, isTerminalEvent } from '../events/guards.js';
import type { AnyInvokeEvent, InvokeErrorEvent, InvokeSentEvent, SentRequest } from '../events/invoke-event.js';
import { parseErrorResponse } from '../protocol/parse-error.js';
import { requestPath, requestUrl, serializeRequest, type SerializedRequest } from '../protocol/serialize.js';
import { validateInput } from '../protocol/validate.js';
import type { OperationName } from '../model/index.js';
import type { CredentialResolver } from '../credentials/credential-resolver.js';
import { secretsOf } from '../signing/redact.js';
import { sentRequest } from './sent-request.js';
import type { RequestSigner } from '../signing/request-signer.js';
import { Cancellation } from '../transport/cancellation.js';
import type { Transport, TransportResponse } from '../transport/transport.js';
import { AttemptRequest, HandlerContext } from './attempt-request.js';
import { startAttemptDiagnostics, type AttemptDiagnostics } from '../diagnostics/attempt-diagnostics.js';
import { currentDiagnosticsCall } from '../diagnostics/call-scope.js';
import type { Logger } from '../diagnostics/logger.js';

/** What an attempt needs of its client. */
export interface AttemptDeps {
  /** The resolved endpoint URL (a custom endpoint's base path kept). */
  readonly endpoint: URL;
  readonly transport: Transport;
  readonly credentials: CredentialResolver;
  readonly signer: RequestSigner;
  /** The signing clock. @default () => new Date() */
  readonly signingDate?: () => Date;
  /** The clock of event timestamps, in epoch ms: the client's `scheduler`. @default Date.now */
  readonly now?: () => number;
  /** The largest body read whole, by operation, in bytes. @default DEFAULT_MAX_RESPONSE_BYTES */
  readonly maxResponseBytes?: Partial<Readonly<Record<OperationName, number>>>;
  /** The largest event-stream frame a streamed response may carry, in bytes. @default DEFAULT_MAX_EVENT_STREAM_FRAME_BYTES */
  readonly maxEventStreamFrameBytes?: number;
  /** True once the client is destroyed: nothing is sent any more. */
  readonly destroyed?: () => boolean;
  /** The region requests are signed for, for diagnostics. */
  readonly region?: string;
  /** Receives each attempt's facts (the client's `logger` option). */
  readonly logger?: Logger;
}

/** A response handler's view of its attempt. */
export interface AttemptContext<E> {
  readonly operation: OperationName;
  /** The attempt number the client puts on its events: 1; `retryInvocation` numbers the attempts it makes. */
  readonly attempt: number;
  /** What was sent, redacted. */
  readonly request: SentRequest;
  readonly response: TransportResponse;
  /** Aborted when the subscriber unsubscribes; the body stream then ends with its reason. */
  readonly signal: AbortSignal;
  /** The largest body this operation reads whole, in bytes (`readBody` enforces it). */
  readonly maxResponseBytes: number;
  /** Emits an event; the first terminal event (`response`, `error`, `accepted`) ends the attempt. */
  emit(event: E): void;
  /** Epoch ms for `timestamp`. */
  timestamp(): number;
  /** Ms since the subscription started, for `durationMs`. */
  elapsedMs(): number;
}

/**
 * Emits the events that follow `sent` for one operation, ending with exactly one terminal
 * event. A `SageMakerRuntimeError` it throws becomes the `error` event; any other throw is a
 * defect and becomes an error notification.
 */
export type ResponseHandler<E extends AnyInvokeEvent> = (context: AttemptContext<E>) => Promise<void>;

/** A validated, serialized invocation, shared by every subscription (attempt) of one Observable. */
interface PreparedInvocation {
  readonly request: SerializedRequest;
  readonly url: string;
  readonly path: string;
  /** The payload's SHA-256, computed on first use and then reused by every retry. */
  payloadHash(): Promise<string>;
}

/** Bound on the memo of paths and URLs per endpoint (one per endpoint name and operation in practice). */
const MAX_MEMOISED_TARGETS = 1024;
/** The full path and URL of each operation path, per endpoint URL: computed once, not per call. */
const targetsByEndpoint = new WeakMap<URL, Map<string, { readonly path: string; readonly url: string }>>();

function targetOf(endpoint: URL, operationPath: string): { readonly path: string; readonly url: string } {
  let targets = targetsByEndpoint.get(endpoint);
  if (targets === undefined) targetsByEndpoint.set(endpoint, (targets = new Map()));
  let target = targets.get(operationPath);
  if (target === undefined) {
    if (targets.size >= MAX_MEMOISED_TARGETS) targets.clear();
    target = { path: requestPath(endpoint, operationPath), url: requestUrl(endpoint, operationPath) };
    targets.set(operationPath, target);
  }
  return target;
}

function prepare(deps: AttemptDeps, operation: OperationName, input: unknown): PreparedInvocation | SageMakerRuntimeError {
  // Read once, then validate and serialize that snapshot: a getter cannot answer differently
  // for what is sent, and nothing an exotic input throws escapes as an exception.
  const snapshot = snapshotInput(operation, input);
  if (snapshot instanceof InvalidRequestError) return snapshot;
  let request: SerializedRequest;
  try {
    const invalid = validateInput(operation, snapshot);
    if (invalid) return invalid;
    request = serializeRequest(operation, snapshot as Parameters<typeof serializeRequest>[1]);
  } catch (cause) {
    return new InvalidRequestError({ member: 'input', rule: SNAPSHOT_RULES.readable, message: `input: ${SNAPSHOT_RULES.readable}`, cause: cause instanceof Error ? cause : undefined });
  }
  const { path, url } = targetOf(deps.endpoint, request.path);
  let hash: Promise<string> | undefined;
  return {
    request,
    url,
    path,
    payloadHash: () => (hash ??= deps.signer.payloadHash(request.body)),
  };
}

/**
 * Returns the cold Observable of one invocation of `operation`. Nothing happens until
 * subscribe; each subscription is one attempt: validate (an invalid input gives one `error`
 * event carrying an `InvalidRequestError`, nothing sent), resolve credentials (`CredentialsError`
 * event on failure), sign, emit `sent`, send, and let `handler` emit the rest. Unsubscribing
 * aborts the request; no event follows. Then complete.
 */
export function attempt$<E extends AnyInvokeEvent>(
  deps: AttemptDeps,
  operation: OperationName,
  input: unknown,
  handler: ResponseHandler<E>,
): Observable<E | InvokeSentEvent | InvokeErrorEvent> {
  let prepared: PreparedInvocation | SageMakerRuntimeError | undefined;
  return new Observable<E | InvokeSentEvent | InvokeErrorEvent>((subscriber) => {
    // No AbortController per attempt: undici cancels through a callback; a signal is made only if read.
    const controller = new Cancellation();
    const startedAt = performance.now();
    const now = deps.now ?? Date.now;
    const attempt = 1;
    // The call subscribing this attempt (`retryInvocation` sets it for the length of its subscribe).
    const call = currentDiagnosticsCall();
    // Present only while a diagnostics channel has a subscriber or a logger is set.
    let diagnostics: AttemptDiagnostics | undefined;
    let ended = false;
    // Secrets of the signed request, scrubbed from every error message (servers echo rejected
    // headers): found in the signed headers when an error first needs them, not on every call.
    let signed: Readonly<Record<string, string>> | undefined;
    let secrets: readonly string[] | undefined;
    const secretsNow = (): readonly string[] => (secrets ??= signed === undefined ? [] : secretsOf(signed));
    const emit = (event: E | InvokeSentEvent | InvokeErrorEvent) => {
      if (ended || subscriber.closed) return;
      if (isTerminalEvent(event)) ended = true;
      // Every string of every event after signing, errors and their causes included: a server
      // may echo the request's secrets in any header, body field or error code.
      if (signed !== undefined && event.type !== 'chunk' && event.type !== 'sent') {
        const found = secretsNow();
        if (found.length > 0) redactSecrets(event, found);
      }
      if (event.type === 'error') withFirstAttemptTally(event.error);
      if (diagnostics !== undefined) diagnostics.event(event);
      subscriber.next(event);
    };
    const fail = (error: SageMakerRuntimeError) => emit(errorEvent(error, attempt, now()));
    const live = () => !subscriber.closed && !controller.aborted;

    const run = async (): Promise<void> => {
      if (deps.destroyed?.()) return fail(new ClientDestroyedError());
      prepared ??= prepare(deps, operation, input);
      if (isSageMakerRuntimeError(prepared)) return fail(prepared);
      const { request, url, path } = prepared;

      try {
        await deps.credentials();
      } catch (error) {
        return fail(isSageMakerRuntimeError(error) ? error : new CredentialsError({ message: messageOf(error), cause: error }));
      }
      if (!live()) return;
      const payloadHash = await prepared.payloadHash();
      let headers: Record<string, string>;
      try {
        headers = await deps.signer.sign({ method: request.method, endpoint: deps.endpoint, path, headers: request.headers, payloadHash }, deps.signingDate?.());
      } catch (error) {
        if (error instanceof CredentialsError) return fail(error);
        throw error;
      }
      if (!live()) return;
      signed = headers;

      const sent: SentRequest = sentRequest(request.method, url, headers, request.body.byteLength);
      diagnostics = startAttemptDiagnostics({
        operation,
        input,
        endpoint: deps.endpoint,
        region: deps.region,
        request: sent,
        call,
        startTime: performance.timeOrigin + startedAt,
        logger: deps.logger,
      });
      emit({ type: 'sent', attempt, timestamp: now(), request: sent });
      if (!live()) return;

      let response: TransportResponse;
      try {
        response = await deps.transport.send(new AttemptRequest(request.method, url, headers, request.body, controller));
      } catch (error) {
        if (!live()) return;
        if (deps.destroyed?.()) return fail(new ClientDestroyedError({ message: `${request.method} ${url}: the client was destroyed while the request was in flight` }));
        return fail(
          isSageMakerRuntimeError(error)
            ? error
            : new NetworkError({ message: `${request.method} ${url}: ${messageOf(error)}`, code: codeOf(error), cause: error }),
        );
      }
      if (!live()) return;
      if (diagnostics !== undefined) diagnostics.headers(response.statusCode, response.headers);
      if (response.statusCode >= 300 && response.statusCode < 400) {
        // Never followed (the signed request must not reach another host), never read as an answer.
        const location = response.headers['location'];
        fail(
          new RedirectError({
            message: `${request.method} ${url}: the server answered with HTTP ${response.statusCode}${location === undefined ? '' : ` to ${location}`}; redirects are not followed`,
            location,
            $metadata: responseMetadata(response),
          }),
        );
        controller.abort();
        return;
      }

      try {
        await handler(
          new HandlerContext(operation, attempt, sent, response, controller, deps.maxResponseBytes?.[operation] ?? DEFAULT_MAX_RESPONSE_BYTES[operation], emit, now, startedAt),
        );
      } catch (error) {
        if (!live()) return;
        const typed = isSageMakerRuntimeError(error) ? error : allocationFailure(error, operation, deps);
        if (typed) {
          fail(typed);
          controller.abort(); // a body left unread (a cap hit before reading) must not hold the socket
          return;
        }
        throw error;
      }
      if (live() && !ended) throw new Error(`${operation}: the response handler returned without a terminal event`);
    };

    // Set once run() has settled: the handler has read or released the body, so nothing is left to cancel.
    let settled = false;
    run().then(
      () => {
        settled = true;
        if (!subscriber.closed) subscriber.complete();
      },
      (defect: unknown) => {
        settled = true;
        diagnostics?.defect(defect);
        if (!subscriber.closed) subscriber.error(defect);
      },
    );
    // Before run() settles, unsubscribing cancels the request. After it, aborting would only build
    // an AbortError and fire an event per call (measured: ~18 % of a 1 KiB call's rate), so skip it.
    return () => {
      if (settled) return;
      controller.abort();
      diagnostics?.cancelled();
    };
  });
}

/** Reads an error response's body and parses it into the `error` event. */
export async function errorEventFromResponse(context: AttemptContext<never>): Promise<InvokeErrorEvent> {
  const { response, operation, attempt } = context;
  const body = await readBody(response, context.maxResponseBytes, () => responseMetadata(response, attempt));
  const error = parseErrorResponse({ statusCode: response.statusCode, headers: response.headers, body }, { operation, attempts: attempt });
  return errorEvent(error, attempt, context.timestamp());
}

/** True for a 2xx status. */
export function isSuccessStatus(statusCode: number): boolean {
  return statusCode >= 200 && statusCode < 300;
}

/**
 * A handler for operations whose whole body is read before the terminal event: a 2xx body goes
 * to `toEvent`, anything else becomes the parsed `error` event.
 */
export function bufferedResponseHandler<E extends AnyInvokeEvent>(
  toEvent: (response: { statusCode: number; headers: Readonly<Record<string, string>>; body: Uint8Array }, context: AttemptContext<E | InvokeErrorEvent>) => E,
): ResponseHandler<E | InvokeErrorEvent> {
  return async (context) => {
    const { response } = context;
    if (!isSuccessStatus(response.statusCode)) {
      context.emit(await errorEventFromResponse(context as AttemptContext<never>));
      return;
    }
    const body = await readBody(response, context.maxResponseBytes, () => responseMetadata(response, context.attempt));
    context.emit(toEvent({ statusCode: response.statusCode, headers: response.headers, body }, context));
  };
}

/**
 * A response the process could not find memory for (`RangeError: Array buffer allocation failed`
 * under an address-space limit, below the caps) is the server's size, not a defect of this
 * library: an event, like a cap, never an error notification.
 */
function allocationFailure(error: unknown, operation: OperationName, deps: AttemptDeps): ResponseTooLargeError | undefined {
  if (!(error instanceof RangeError) || !/allocation failed|invalid (typed )?array length|array buffer/i.test(error.message)) return undefined;
  const limit = deps.maxResponseBytes?.[operation] ?? DEFAULT_MAX_RESPONSE_BYTES[operation];
  return new ResponseTooLargeError({ subject: 'body', limit, message: `could not allocate memory for the response (${error.message})`, cause: error });
}

/**
 * Gives an error of this attempt the `$metadata.attempts: 1, totalRetryDelay: 0` the AWS SDK
 * reports for a call that failed on its first attempt, whatever made it (a response, the network,
 * validation). Idempotent, so an error shared by several subscriptions (an invalid input's) is
 * rewritten at most once; `retryInvocation` copies, never mutates, when it counts more.
 */
function withFirstAttemptTally(error: SageMakerRuntimeError): void {
  // A duck-typed error from a custom transport may have no `$metadata`, or a frozen one.
  const metadata = error.$metadata as ResponseMetadata | undefined;
  if (metadata?.attempts === 1 && metadata.totalRetryDelay === 0) return;
  try {
    error.$metadata = { ...metadata, attempts: 1, totalRetryDelay: 0 };
  } catch {
    // read-only: the error is passed on as it is
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
