/**
 * Answers `InvokeEndpoint`: 200 with the model's body and content type, the
 * production variant, custom attributes and session headers; a container error becomes a
 * 424 `ModelError`.
 */
import { DEFAULT_CONTENT_TYPE } from '../../model/index.js';
import { SESSION_TTL_MS } from '../constants.js';
import { modelErrorAnswer } from '../endpoints/faults.js';
import { canWrite, type RequestContext } from '../http/request-context.js';
import { collectChunks, runBuiltInModel, runModel, toBytes } from '../models/run-model.js';
import type { ModelResponse } from '../types.js';

/** `YYYY-MM-DDThh:mm:ssZ`, as the `Expires=` of a new session id. */
function expiresAt(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Runs the model and answers; `ModelError` 424 when the container fails. A built-in model that
 * answers whole is answered at once (no promise); anything else is awaited.
 */
export function invokeEndpoint(ctx: RequestContext): Promise<void> | undefined {
  const model = ctx.target.model;
  if (typeof model === 'string') {
    const output = runBuiltInModel(model, ctx.endpoint.config.generator, ctx.modelRequest, 'InvokeEndpoint');
    if (output.kind === 'whole') {
      if (canWrite(ctx)) answer(ctx, output.response);
      return undefined;
    }
  }
  return invokeAndWait(ctx);
}

async function invokeAndWait(ctx: RequestContext): Promise<void> {
  const output = await runModel(ctx.target.model, ctx.endpoint.config.generator, ctx.modelRequest, 'InvokeEndpoint');
  if (!canWrite(ctx)) return;
  let response: ModelResponse;
  if (output.kind === 'stream') {
    response = { body: await collectChunks(output.chunks, ctx.signal) };
    if (output.contentType !== undefined) response.contentType = output.contentType;
    if (output.customAttributes !== undefined) response.customAttributes = output.customAttributes;
    if (!canWrite(ctx)) return;
  } else {
    response = output.response;
  }
  answer(ctx, response);
}

/** Writes the model's response: 200, or the 424 `ModelError` for a container status outside 2xx. */
function answer(ctx: RequestContext, response: ModelResponse): void {
  const body = toBytes(response.body);
  const status = response.status ?? 200;
  if (status < 200 || status > 299) {
    ctx.answerError(modelErrorAnswer(ctx.where, status, body.toString('utf8')));
    return;
  }
  const headers: Record<string, string> = {
    'x-amzn-RequestId': ctx.id,
    'Content-Type': response.contentType ?? DEFAULT_CONTENT_TYPE,
    'x-Amzn-Invoked-Production-Variant': ctx.target.variant,
    'Content-Length': String(body.length),
  };
  if (response.customAttributes !== undefined) headers['X-Amzn-SageMaker-Custom-Attributes'] = response.customAttributes;
  // Sessions are the container's: only a session the model opened is answered.
  if (response.newSessionId !== undefined) {
    headers['X-Amzn-SageMaker-New-Session-Id'] = `${response.newSessionId}; Expires=${expiresAt(Date.now() + SESSION_TTL_MS)}`;
  }
  if (response.closedSessionId !== undefined) headers['X-Amzn-SageMaker-Closed-Session-Id'] = response.closedSessionId;
  ctx.res.writeHead(200, headers);
  ctx.answered(200);
  ctx.res.end(body);
}
