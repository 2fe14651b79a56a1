/**
 * Answers `InvokeEndpointWithResponseStream`: 200 with
 * `application/vnd.amazon.eventstream`, one `PayloadPart` frame per chunk (paced and re-split
 * as the endpoint's generator options say), and the configured mid-stream fault.
 */
import { once } from 'node:events';
import { EVENT_STREAM_CONTENT_TYPE, DEFAULT_CONTENT_TYPE } from '../../model/index.js';
import { untilAborted, cancellableSleep } from '../cancellable-sleep.js';
import { DEFAULT_TOKENS_PER_SECOND } from '../constants.js';
import { modelErrorAnswer, streamExceptionPayload } from '../endpoints/faults.js';
import { canContinue, canWrite, type RequestContext } from '../http/request-context.js';
import { runModel, toBytes, type StreamOutput } from '../models/run-model.js';
import type { StreamChunk, StreamFaultConfig } from '../types.js';
import { exceptionFrame, payloadPartFrame } from '../wire/event-stream-frames.js';
import { boundariesOf, splitPayload } from '../wire/payload-splitter.js';

/** The payload of the half frame when the output ended before the truncation point. */
const TRUNCATED_FILLER = Buffer.from('{"token":{"text":" truncated"}}\n', 'utf8');

/**
 * Writes a chunk and waits for the socket to drain (or the client to leave). `once` with the
 * signal removes both its listeners whichever comes first, so a long back-pressured stream does
 * not pile up one `abort` listener per blocked write.
 */
async function write(ctx: RequestContext, bytes: Uint8Array): Promise<boolean> {
  if (!canContinue(ctx)) return false;
  if (ctx.res.write(bytes)) return true;
  await once(ctx.res, 'drain', { signal: ctx.signal }).catch(() => undefined); // aborted or errored: canContinue says which
  return canContinue(ctx);
}

/** Re-cuts buffered chunks when the endpoint sets `generator.splitAt`. */
async function partsOf(ctx: RequestContext, output: StreamOutput): Promise<AsyncIterable<StreamChunk> | Iterable<StreamChunk>> {
  const splitAt = ctx.endpoint.config.generator?.splitAt;
  if (splitAt === undefined || !Array.isArray(output.chunks)) return output.chunks;
  const chunks = (output.chunks as StreamChunk[]).map(toBytes);
  return splitPayload(Buffer.concat(chunks), splitAt, ctx.endpoint.random, boundariesOf(chunks));
}

/** Applies a mid-stream fault; returns once the response is over (or abandoned). */
async function applyFault(
  ctx: RequestContext,
  fault: NonNullable<StreamFaultConfig['fault']>,
  config: StreamFaultConfig,
  next: Uint8Array = TRUNCATED_FILLER,
): Promise<void> {
  ctx.record.streamFault = fault;
  ctx.recordChanged();
  if (fault === 'stall') {
    await untilAborted(ctx.signal);
    return;
  }
  if (fault === 'truncate') {
    const frame = payloadPartFrame(next);
    if (await write(ctx, frame.subarray(0, Math.floor(frame.length / 2)))) ctx.res.end();
    return;
  }
  if (await write(ctx, exceptionFrame(fault, streamExceptionPayload(fault, config.errorCode)))) ctx.res.end();
}

/**
 * Runs the model and streams its output as event-stream frames. A streaming model that throws
 * after the headers went out ends the stream with a `ModelStreamError` (`StreamBroken`) frame.
 */
export async function invokeEndpointWithResponseStream(ctx: RequestContext): Promise<void> {
  const config = ctx.endpoint.config;
  const produced = await runModel(ctx.target.model, config.generator, ctx.modelRequest, 'InvokeEndpointWithResponseStream');
  if (!canWrite(ctx)) return;
  let output: StreamOutput;
  if (produced.kind === 'whole') {
    const body = toBytes(produced.response.body);
    const status = produced.response.status ?? 200;
    if (status < 200 || status > 299) {
      ctx.answerError(modelErrorAnswer(ctx.where, status, body.toString('utf8')));
      return;
    }
    output = { kind: 'stream', chunks: [body], paced: false };
    if (produced.response.contentType !== undefined) output.contentType = produced.response.contentType;
    if (produced.response.customAttributes !== undefined) output.customAttributes = produced.response.customAttributes;
  } else {
    output = produced;
  }

  const headers: Record<string, string> = {
    'x-amzn-RequestId': ctx.id,
    'Content-Type': EVENT_STREAM_CONTENT_TYPE,
    'X-Amzn-SageMaker-Content-Type': output.contentType ?? DEFAULT_CONTENT_TYPE,
    'x-Amzn-Invoked-Production-Variant': ctx.target.variant,
  };
  if (output.customAttributes !== undefined) headers['X-Amzn-SageMaker-Custom-Attributes'] = output.customAttributes;
  ctx.res.writeHead(200, headers);
  ctx.res.flushHeaders();
  ctx.answered(200);

  const tps = config.generator?.tokensPerSecond ?? (output.paced ? DEFAULT_TOKENS_PER_SECOND : undefined);
  const intervalMs = tps !== undefined && tps > 0 ? 1000 / tps : 0;
  const streamFault = config.faults?.stream;
  const afterChunks = streamFault?.afterChunks ?? 1;
  let sent = 0;
  try {
    for await (const chunk of await partsOf(ctx, output)) {
      if (!canContinue(ctx)) return;
      const bytes = toBytes(chunk);
      if (bytes.length === 0) continue;
      if (sent > 0 && intervalMs > 0 && !(await cancellableSleep(intervalMs, ctx.signal))) return;
      if (streamFault?.fault && sent >= afterChunks) return applyFault(ctx, streamFault.fault, streamFault, bytes);
      if (!(await write(ctx, payloadPartFrame(bytes)))) return;
      sent += 1;
    }
  } catch {
    // The container failed after the 200 went out: the service reports a broken model stream.
    if (canContinue(ctx)) await applyFault(ctx, 'ModelStreamError', { errorCode: 'StreamBroken' });
    return;
  }
  if (!canContinue(ctx)) return;
  if (streamFault?.fault) return applyFault(ctx, streamFault.fault, streamFault);
  ctx.res.end();
}
