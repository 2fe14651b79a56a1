/**
 * Runs an endpoint's model for a request and normalises what it answers: a whole response
 * (built-ins, `ModelFunction`) or a stream of chunks (`text-generator` on the streaming
 * operation, `StreamModelFunction`).
 */
import { randomUUID } from 'node:crypto';
import { REQUEST_HEADERS, type OperationName } from '../../model/index.js';
import type { BuiltInModelName, EndpointModel, GeneratorConfig, ModelRequest, ModelResponse, StreamChunk, StreamModelResponse } from '../types.js';
import { echoModel } from './echo-model.js';
import { sentimentModel } from './sentiment-model.js';
import { generatorStream, textGeneratorModel } from './text-generator-model.js';

const NEW_SESSION = 'NEW_SESSION';

/** A whole answer. */
export interface WholeOutput {
  kind: 'whole';
  response: ModelResponse;
}

/** A streamed answer: each chunk is one PayloadPart (unless re-split). */
export interface StreamOutput {
  kind: 'stream';
  chunks: AsyncIterable<StreamChunk> | Iterable<StreamChunk>;
  contentType?: string;
  customAttributes?: string;
  /** Paced at `tokensPerSecond` (the generator), or sent as fast as produced. */
  paced: boolean;
}

export type ModelOutput = WholeOutput | StreamOutput;

function isIterable(value: unknown): value is AsyncIterable<StreamChunk> | Iterable<StreamChunk> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !(value instanceof Uint8Array) &&
    (Symbol.asyncIterator in value || Symbol.iterator in value)
  );
}

function isStreamModelResponse(value: unknown): value is StreamModelResponse {
  return value !== null && typeof value === 'object' && 'chunks' in value && isIterable((value as StreamModelResponse).chunks);
}

/**
 * A built-in container that is asked for `NEW_SESSION` opens one: sessions are the container's,
 * so the id comes from the model, never from the service.
 */
function withSession(req: ModelRequest, response: ModelResponse): ModelResponse {
  if (req.operation !== 'InvokeEndpoint' || req.headers[REQUEST_HEADERS.InvokeEndpoint.SessionId] !== NEW_SESSION) return response;
  return { ...response, newSessionId: response.newSessionId ?? randomUUID() };
}

/** Runs a built-in model, which answers at once. */
export function runBuiltInModel(model: BuiltInModelName, generator: GeneratorConfig | undefined, req: ModelRequest, operation: OperationName): ModelOutput {
  if (model === 'echo') return { kind: 'whole', response: withSession(req, echoModel(req)) };
  if (model === 'sentiment') return { kind: 'whole', response: withSession(req, sentimentModel(req)) };
  if (operation === 'InvokeEndpointWithResponseStream') {
    const { parts, contentType } = generatorStream(req, generator);
    return { kind: 'stream', chunks: parts, contentType, paced: true };
  }
  return { kind: 'whole', response: withSession(req, textGeneratorModel(req, generator)) };
}

/** Runs the model; a user function's result is told apart by its shape. */
export async function runModel(model: EndpointModel, generator: GeneratorConfig | undefined, req: ModelRequest, operation: OperationName): Promise<ModelOutput> {
  if (typeof model === 'string') return runBuiltInModel(model, generator, req, operation);
  const result: unknown = await model(req);
  if (isStreamModelResponse(result)) {
    const out: StreamOutput = { kind: 'stream', chunks: result.chunks, paced: false };
    if (result.contentType !== undefined) out.contentType = result.contentType;
    if (result.customAttributes !== undefined) out.customAttributes = result.customAttributes;
    return out;
  }
  if (isIterable(result)) return { kind: 'stream', chunks: result, paced: false };
  if (result === null || typeof result !== 'object' || !('body' in result)) {
    throw new TypeError('model function must return { body, … }, an iterable of chunks or { chunks, … }');
  }
  return { kind: 'whole', response: result as ModelResponse };
}

/** Bytes of a chunk or body. */
export function toBytes(chunk: StreamChunk): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Reads all chunks into one buffer (a streaming model answering `InvokeEndpoint`). */
export async function collectChunks(chunks: AsyncIterable<StreamChunk> | Iterable<StreamChunk>, signal: AbortSignal): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) {
    if (signal.aborted) break;
    parts.push(toBytes(chunk));
  }
  return Buffer.concat(parts);
}
