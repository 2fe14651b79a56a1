/**
 * The emulator's request pipeline as named stages. Every request reads its body and is routed;
 * a SageMaker Runtime operation is then authenticated, validated, matched to its endpoint and
 * the model that serves it, and either accepted for async inference or admitted, delayed,
 * faulted and answered by its operation handler under the model time limit. A request for the
 * object store is authenticated as S3 and served from it.
 */
import { REQUEST_HEADERS, type OperationName } from '../../model/index.js';
import { verifySigV4 } from '../auth/sigv4-verifier.js';
import { cancellableSleep } from '../cancellable-sleep.js';
import { DEFAULT_ASYNC_INVOCATION_TIMEOUT_SECONDS, HARD_BODY_LIMIT_BYTES, MESSAGES } from '../constants.js';
import type { EndpointState } from '../endpoints/endpoint-state.js';
import { resolveTarget } from '../endpoints/endpoint-target.js';
import {
  dependencyErrorAnswer,
  drawFault,
  drawLatency,
  injectedModelErrorBody,
  modelErrorAnswer,
  modelTimeoutAnswer,
  serverErrorAnswer,
  throttleAnswer,
} from '../endpoints/faults.js';
import type { AsyncInferences } from '../operations/async-inference.js';
import { acceptedAnswer, asyncLocations, inferenceIdOf } from '../operations/invoke-endpoint-async.js';
import { invokeEndpointWithResponseStream } from '../operations/invoke-endpoint-with-response-stream.js';
import { invokeEndpoint } from '../operations/invoke-endpoint.js';
import type { ObjectStore } from '../s3/object-store.js';
import { s3AuthError, writeObject, writePutAnswer, writeS3Error } from '../s3/s3-answers.js';
import { apiHeaders } from '../validation/api-headers.js';
import { validateInput } from '../validation/input-validation.js';
import { readBody } from './body-reader.js';
import { ExchangeModelRequest } from './model-request.js';
import type { Exchange } from './exchange.js';
import type { RequestContext } from './request-context.js';
import type { ResolvedEmulatorOptions } from './resolved-options.js';
import { matchRoute, type S3Route, type SageMakerRoute } from './routes.js';

/** What the stages use of the server. */
export interface PipelineServices {
  readonly options: ResolvedEmulatorOptions;
  endpoint(name: string): EndpointState | undefined;
  readonly store: ObjectStore;
  readonly asyncInferences: AsyncInferences;
}

/** `next`: go on to the following stage; `done`: the request has been answered (or abandoned). */
export type StageResult = 'next' | 'done';

/**
 * One named step of the pipeline. A stage with nothing to wait for answers synchronously: the
 * runner only awaits a stage that returned a promise, so a request costs no microtask per stage.
 */
export interface Stage {
  readonly name: string;
  run(ex: Exchange, services: PipelineServices): StageResult | Promise<StageResult>;
}

const H_ASYNC = REQUEST_HEADERS.InvokeEndpointAsync;

const sageMakerRoute = (ex: Exchange): SageMakerRoute => ex.route as SageMakerRoute;
const s3Route = (ex: Exchange): S3Route => ex.route as S3Route;

function parseQuery(search: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (search === '') return out;
  for (const [k, v] of new URLSearchParams(search)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** The body `InvokeEndpointAsync` counts: the AWS SDK's `{}` placeholder beside `InputLocation` is no body. */
function asyncBodyLength(body: Buffer, headers: Record<string, string>): number {
  const hasLocation = headers[H_ASYNC.InputLocation] !== undefined;
  return hasLocation && body.toString('utf8').trim() === '{}' ? 0 : body.length;
}

/** The body length validation counts for the operation. */
function countedBodyLength(operation: OperationName, body: Buffer, headers: Record<string, string>): number {
  return operation === 'InvokeEndpointAsync' ? asyncBodyLength(body, headers) : body.length;
}

/** `InputLocation` xor a body. */
function asyncExclusivity(bodyLength: number, headers: Record<string, string>): string | undefined {
  const hasLocation = headers[H_ASYNC.InputLocation] !== undefined;
  const hasBody = bodyLength > 0;
  if (hasLocation && hasBody) return 'InputLocation and Body are mutually exclusive: provide exactly one of them.';
  if (!hasLocation && !hasBody) return 'Either InputLocation or Body must be provided.';
  return undefined;
}

/** Reads the body whole (the signature covers it); a body over the hard limit is refused and the connection closed. */
export const readBodyStage: Stage = {
  name: 'readBody',
  async run(ex) {
    const { body, size } = await readBody(ex.req, HARD_BODY_LIMIT_BYTES);
    ex.record.bodyLength = size;
    if (body === undefined || ex.closed) {
      if (!ex.closed) {
        ex.answerError({ name: 'ValidationError', message: `Request body exceeds ${HARD_BODY_LIMIT_BYTES} bytes.` }, { Connection: 'close' });
      }
      return 'done';
    }
    ex.body = body;
    ex.recordChanged();
    return 'next';
  },
};

/** Finds what the request line asks for; anything else is an unknown operation. */
export const routeStage: Stage = {
  name: 'route',
  run(ex) {
    const route = matchRoute(ex.record.method, ex.path);
    if (!route) {
      ex.answerError({ name: 'UnknownOperationException', message: MESSAGES.unknownOperation });
      return 'done';
    }
    ex.route = route;
    ex.record.operation = route.operation;
    if (route.kind === 'sagemaker') ex.record.endpointName = route.endpointName;
    else ex.record.objectUri = route.uri;
    return 'next';
  },
};

/** Verifies SigV4 (service `sagemaker`); only an authenticated request's body is kept in the log. */
export const authenticateStage: Stage = {
  name: 'authenticate',
  run(ex, { options }) {
    if (options.credentials === false) return keepBody(ex);
    return verifySigV4(
      { method: ex.record.method, path: ex.path, query: parseQuery(ex.query), headers: ex.record.headers, body: ex.body },
      { region: options.region, credentials: options.credentials, clockSkewMs: options.clockSkewMs },
    ).then((verdict) => {
      if (!verdict.ok) {
        ex.answerError(verdict.error);
        return 'done';
      }
      return keepBody(ex);
    });
  },
};

function keepBody(ex: Exchange): StageResult {
  ex.record.body = ex.body;
  ex.recordChanged();
  return 'next';
}

/** The service's input validation, and the async operation's body-or-`InputLocation` rule. */
export const validateStage: Stage = {
  name: 'validate',
  run(ex) {
    const { operation, endpointName } = sageMakerRoute(ex);
    const headers = ex.record.headers;
    const bodyLength = countedBodyLength(operation, ex.body, headers);
    const invalid = validateInput({ operation, endpointName, headers, bodyLength }) ?? (operation === 'InvokeEndpointAsync' ? asyncExclusivity(bodyLength, headers) : undefined);
    if (invalid !== undefined) {
      ex.answerError({ name: 'ValidationError', message: invalid });
      return 'done';
    }
    return 'next';
  },
};

/** The endpoint the request names; an unknown one is the service's `ValidationError`. */
export const findEndpointStage: Stage = {
  name: 'findEndpoint',
  run(ex, services) {
    const { endpointName } = sageMakerRoute(ex);
    const endpoint = services.endpoint(endpointName);
    if (!endpoint) {
      ex.answerError({ name: 'ValidationError', message: `Endpoint ${endpointName} of account ${services.options.accountId} not found.` });
      return 'done';
    }
    endpoint.stats.total += 1;
    ex.endpoint = endpoint;
    return 'next';
  },
};

/**
 * The model that serves the request (variant, component, container, target model), checked
 * against the endpoint's kind, and the request as that container sees it: its API headers only.
 */
export const resolveTargetStage: Stage = {
  name: 'resolveTarget',
  run(ex, { options }) {
    const { operation, endpointName } = sageMakerRoute(ex);
    const endpoint = ex.endpoint!;
    const resolved = resolveTarget(endpoint.config, ex.record.headers, operation, endpoint.random, { endpointName, accountId: options.accountId });
    if (!resolved.ok) {
      ex.answerError(resolved.error);
      return 'done';
    }
    const target = resolved.target;
    const headers = apiHeaders(operation, ex.record.headers);
    const headerOf = REQUEST_HEADERS[operation];
    const bodyLength = countedBodyLength(operation, ex.body, ex.record.headers);
    const modelRequest = new ExchangeModelRequest(ex, bodyLength === 0 ? Buffer.alloc(0) : ex.body, headers, endpointName, operation, target.variant);
    const contentType = headers[headerOf.ContentType];
    const accept = headers[headerOf.Accept];
    const customAttributes = headers[headerOf.CustomAttributes];
    if (contentType !== undefined) modelRequest.contentType = contentType;
    if (accept !== undefined) modelRequest.accept = accept;
    if (customAttributes !== undefined) modelRequest.customAttributes = customAttributes;
    if (target.targetModel !== undefined) modelRequest.targetModel = target.targetModel;
    if (target.inferenceComponent !== undefined) modelRequest.inferenceComponent = target.inferenceComponent;
    if (target.containerHostname !== undefined) modelRequest.containerHostname = target.containerHostname;
    ex.target = target;
    ex.modelRequest = modelRequest;
    ex.where = { endpointName, region: options.region, accountId: options.accountId, container: target.container };
    return 'next';
  },
};

/**
 * `InvokeEndpointAsync` only enqueues: the faults the front end answers (throttling, 5xx, a
 * reset) are answered now; the model's own faults and latency happen in the background run,
 * which writes the output or failure object. Other operations go on.
 */
export const acceptAsyncStage: Stage = {
  name: 'acceptAsync',
  run(ex, services) {
    const { operation, endpointName } = sageMakerRoute(ex);
    if (operation !== 'InvokeEndpointAsync') return 'next';
    const endpoint = ex.endpoint!;
    const faults = endpoint.config.faults;
    const modelRequest = ex.modelRequest!;
    const latencyMs = drawLatency(faults, endpoint.random);
    const fault = drawFault(faults, endpoint.random, modelRequest);
    if (fault === 'reset') {
      ex.resetConnection();
      return 'done';
    }
    if (fault === 'throttle') {
      endpoint.stats.throttled += 1;
      ex.answerError(throttleAnswer(faults?.throttleAs, operation));
      return 'done';
    }
    if (fault === 'serverError') {
      ex.answerError(serverErrorAnswer(faults?.serverErrorStatus));
      return 'done';
    }
    const headers = ex.record.headers;
    const inferenceId = inferenceIdOf(headers);
    const locations = asyncLocations(endpointName, inferenceId, headers);
    const timeoutSeconds = Number(headers[H_ASYNC.InvocationTimeoutSeconds] ?? DEFAULT_ASYNC_INVOCATION_TIMEOUT_SECONDS);
    // Own members only: the queued copy has no signal (the background run makes its own).
    const request = { ...modelRequest };
    const inputLocation = headers[H_ASYNC.InputLocation];
    services.asyncInferences.start({
      endpoint,
      target: ex.target!,
      modelRequest: request,
      ...(inputLocation !== undefined ? { inputLocation } : {}),
      outputLocation: locations.output,
      failureLocation: locations.failure,
      ...(fault !== undefined ? { fault } : {}),
      latencyMs,
      timeoutMs: timeoutSeconds * 1000,
      record: ex.record,
    });
    const answer = acceptedAnswer(ex.id, inferenceId, locations);
    ex.res.writeHead(202, answer.headers);
    ex.answered(202);
    ex.res.end(answer.body);
    return 'done';
  },
};

/** The endpoint's concurrency cap and rate window; a refused request is throttled. */
export const admitStage: Stage = {
  name: 'admit',
  run(ex) {
    const endpoint = ex.endpoint!;
    const faults = endpoint.config.faults;
    const refusal = endpoint.admit(Date.now());
    if (refusal !== undefined) {
      endpoint.stats.throttled += 1;
      ex.answerError(throttleAnswer(refusal === 'concurrency' ? faults?.overConcurrencyAs : faults?.throttleAs, sageMakerRoute(ex).operation));
      return 'done';
    }
    ex.admittedTo = endpoint;
    return 'next';
  },
};

/**
 * Starts the model's clock: a request not answered within `modelTimeoutMs` of admission (the
 * service gives a container 60 s) gets the 424 `ModelError` with `OriginalStatusCode` 0, and the
 * model's signal aborts. A stream whose headers went out is past it.
 */
export const modelClockStage: Stage = {
  name: 'modelClock',
  run(ex, { options }) {
    // Cleared when the request closes (the server's close handler), which every end of the model's time comes to.
    ex.modelTimer = setTimeout(() => {
      if (ex.res.headersSent || ex.closed) return;
      ex.endModel();
      ex.answerError(modelTimeoutAnswer(ex.where!));
    }, options.modelTimeoutMs);
    return 'next';
  },
};

/** The endpoint's latency and jitter; the client may leave (or the model time out) during it. */
export const delayStage: Stage = {
  name: 'delay',
  run(ex) {
    const endpoint = ex.endpoint!;
    const latency = drawLatency(endpoint.config.faults, endpoint.random);
    if (latency <= 0) return 'next';
    return cancellableSleep(latency, ex.modelSignal).then((slept) => (slept ? 'next' : 'done'));
  },
};

/** `failWhen` or the random draws; each fault answered as the operation's model allows. */
export const injectFaultStage: Stage = {
  name: 'injectFault',
  run(ex) {
    const endpoint = ex.endpoint!;
    const faults = endpoint.config.faults;
    const operation = sageMakerRoute(ex).operation;
    switch (drawFault(faults, endpoint.random, ex.modelRequest!)) {
      case 'reset':
        ex.resetConnection();
        return 'done';
      case 'throttle':
        endpoint.stats.throttled += 1;
        ex.answerError(throttleAnswer(faults?.throttleAs, operation));
        return 'done';
      case 'serverError':
        ex.answerError(serverErrorAnswer(faults?.serverErrorStatus));
        return 'done';
      case 'dependencyError':
        ex.answerError(dependencyErrorAnswer(operation));
        return 'done';
      case 'modelError': {
        const status = faults?.modelErrorStatus ?? 500;
        ex.answerError(modelErrorAnswer(ex.where!, status, injectedModelErrorBody(status)));
        return 'done';
      }
      default:
        return 'next';
    }
  },
};

const HANDLERS: Readonly<Record<Exclude<OperationName, 'InvokeEndpointAsync'>, (ctx: RequestContext) => Promise<void> | undefined>> = {
  InvokeEndpoint: invokeEndpoint,
  InvokeEndpointWithResponseStream: invokeEndpointWithResponseStream,
};

/** Runs the operation handler; a model function that throws is the container's 500. */
export const invokeStage: Stage = {
  name: 'invoke',
  run(ex) {
    const operation = sageMakerRoute(ex).operation as keyof typeof HANDLERS;
    const ctx = ex.context();
    let running: Promise<void> | undefined;
    try {
      running = HANDLERS[operation](ctx);
    } catch (err) {
      return modelFailed(ex, err);
    }
    // The last stage: nothing waits on it, so a model that never answers holds no stage; the model
    // clock or the client's close answer or end the request without it.
    return running === undefined ? 'done' : running.then(() => 'done' as const, (err: unknown) => modelFailed(ex, err));
  },
};

/**
 * A model function that threw (or rejected) is the container's 500, or a destroyed stream once
 * its answer is under way; after the model's time ended (the clock answered, or the client left)
 * a late failure changes nothing.
 */
function modelFailed(ex: Exchange, err: unknown): StageResult {
  if (!ex.modelEnded) {
    if (!ex.res.headersSent) ex.answerError(modelErrorAnswer(ex.where!, 500, err instanceof Error ? err.message : String(err)));
    else ex.res.destroy();
  }
  return 'done';
}

/** Verifies SigV4 with service `s3`, answering S3's error codes. */
export const authenticateS3Stage: Stage = {
  name: 'authenticateS3',
  async run(ex, { options }) {
    if (options.credentials !== false) {
      const verdict = await verifySigV4(
        { method: ex.record.method, path: ex.path, query: parseQuery(ex.query), headers: ex.record.headers, body: ex.body },
        { region: options.region, credentials: options.credentials, clockSkewMs: options.clockSkewMs, service: 's3' },
      );
      if (!verdict.ok) {
        const answer = s3AuthError(verdict);
        ex.answered(writeS3Error(ex.res, ex.id, answer, ex.record.method === 'HEAD'), answer.code);
        return 'done';
      }
    }
    ex.record.body = ex.body;
    return 'next';
  },
};

/** `GetObject`, `HeadObject` and `PutObject` on the store. */
export const serveObjectStage: Stage = {
  name: 'serveObject',
  run(ex, { store }) {
    const route = s3Route(ex);
    if (route.operation === 'PutObject') {
      store.set(route.uri, { body: ex.body, ...(ex.record.headers['content-type'] ? { contentType: ex.record.headers['content-type'] } : {}) });
      ex.answered(writePutAnswer(ex.res, ex.id, store.get(route.uri)!));
      return 'done';
    }
    const head = route.operation === 'HeadObject';
    const object = store.get(route.uri);
    if (!object) {
      const answer = { status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.', extra: { Key: route.key } };
      ex.answered(writeS3Error(ex.res, ex.id, answer, head), answer.code);
      return 'done';
    }
    ex.answered(writeObject(ex.res, ex.id, object, head));
    return 'done';
  },
};

/** Every request starts here. */
export const COMMON_STAGES: readonly Stage[] = [readBodyStage, routeStage];

/** A SageMaker Runtime operation, after the common stages. */
export const SAGEMAKER_STAGES: readonly Stage[] = [
  authenticateStage,
  validateStage,
  findEndpointStage,
  resolveTargetStage,
  acceptAsyncStage,
  admitStage,
  modelClockStage,
  delayStage,
  injectFaultStage,
  invokeStage,
];

/** The object store, after the common stages. */
export const S3_STAGES: readonly Stage[] = [authenticateS3Stage, serveObjectStage];

/**
 * Runs the stages in order until one answers; an unexpected failure is the service's
 * `InternalFailure`. Synchronous stages run back to back; the runner awaits only a stage that
 * returned a promise and resumes after it.
 */
export function runPipeline(ex: Exchange, services: PipelineServices): Promise<void> | undefined {
  return runFrom(ex, services, 0);
}

/** The stage at `index` of the request's pipeline: the common stages, then its route's. */
function stageAt(ex: Exchange, index: number): Stage | undefined {
  if (index < COMMON_STAGES.length) return COMMON_STAGES[index];
  return (ex.route?.kind === 's3' ? S3_STAGES : SAGEMAKER_STAGES)[index - COMMON_STAGES.length];
}

function runFrom(ex: Exchange, services: PipelineServices, from: number): Promise<void> | undefined {
  try {
    for (let index = from; ; index++) {
      const stage = stageAt(ex, index);
      if (stage === undefined) return undefined;
      const result = stage.run(ex, services);
      if (result === 'done') return undefined;
      if (result !== 'next') {
        return result.then(
          (settled) => (settled === 'done' ? undefined : runFrom(ex, services, index + 1)),
          (err: unknown) => failed(ex, err),
        );
      }
    }
  } catch (err) {
    failed(ex, err);
    return undefined;
  }
}

function failed(ex: Exchange, err: unknown): void {
  if (!ex.res.headersSent && !ex.res.destroyed) {
    ex.answerError({ name: 'InternalFailure', message: `${MESSAGES.internalFailure} (${err instanceof Error ? err.message : String(err)})` });
  } else {
    ex.res.destroy();
  }
}
