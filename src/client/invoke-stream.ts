/**
 * `InvokeEndpointWithResponseStream`: the response handler that turns
 * an event-stream body into `headers`, `chunk` and `response` events, on the shared attempt
 * pipeline.
 */
import type { Observable } from 'rxjs';
import { isSageMakerRuntimeError, type ResponseMetadata, type SageMakerRuntimeError } from '../errors/sagemaker-runtime-error.js';
import { errorEvent } from '../events/guards.js';
import type { InvokeChunkEvent, InvokeErrorEvent, InvokeHeadersEvent, InvokeResponseEvent, InvokeStreamEvent } from '../events/invoke-event.js';
import { deserializeStreamHeaders } from '../protocol/deserialize.js';
import { EventStreamDecoder } from '../protocol/event-stream.js';
import { readResponseStreamMessage } from '../protocol/event-stream-message.js';
import type { InvokeEndpointWithResponseStreamInput, InvokeEndpointWithResponseStreamSummary } from '../model/shapes.js';
import { attempt$, errorEventFromResponse, isSuccessStatus, type AttemptContext, type AttemptDeps, type ResponseHandler } from './attempt.js';

type StreamHandlerEvent = InvokeHeadersEvent | InvokeChunkEvent | InvokeResponseEvent<InvokeEndpointWithResponseStreamSummary> | InvokeErrorEvent;

/**
 * The response handler of the streaming operation. A non-2xx status is an ordinary restJson1
 * error (the shared parser). A 200 emits `headers` (the output members from the HTTP headers),
 * then one `chunk` per `PayloadPart` as its frame completes, then `response` with the summary
 * (`chunks`, `bytes`, the header members) once the body ends. A mid-stream `exception` frame
 * (`ModelStreamError`, `InternalStreamFailure`), a broken frame (CRC, truncation), a reset socket
 * or a transport timeout ends the stream with one `error` event instead, carrying the stream's
 * HTTP status and request id in `$metadata`. Unknown event types are skipped.
 */
export const invokeEndpointWithResponseStreamHandler: ResponseHandler<StreamHandlerEvent> = streamHandler({});

/** Options of one streamed call's handler. */
export interface StreamHandlerOptions {
  /** The largest event-stream frame accepted, in bytes. */
  maxFrameBytes?: number;
  /**
   * Awaited after each `chunk` event: while it is pending the body is not read, so the server is
   * held back by TCP instead of the client buffering (the Promise twin's pull-based `Body`).
   */
  demand?: () => Promise<void> | undefined;
}

/** The streaming handler with a frame cap and, for a pull-based consumer, a demand gate. */
export function streamHandler({ maxFrameBytes, demand }: StreamHandlerOptions): ResponseHandler<StreamHandlerEvent> {
  return async (context) => {
    const { response, attempt, signal } = context;
    if (!isSuccessStatus(response.statusCode)) {
      context.emit(await errorEventFromResponse(context as AttemptContext<never>));
      return;
    }
    const headers = deserializeStreamHeaders(response, attempt);
    const { $metadata } = headers;
    context.emit({ type: 'headers', attempt, timestamp: context.timestamp(), output: headers });

    let chunks = 0;
    let bytes = 0;
    // Pushed chunk by chunk, pulled frame by frame: no Promise per message, only per body chunk.
    const decoder = new EventStreamDecoder({ $metadata, maxFrameBytes, freshChunks: response.body.freshChunks === true });
    try {
      for await (const body of response.body) {
        decoder.push(body);
        for (let message = decoder.next(); message !== undefined; message = decoder.next()) {
          if (signal.aborted) return;
          const part = readResponseStreamMessage(message, $metadata);
          if (part.kind === 'skip') continue;
          if (part.kind === 'error') {
            context.emit(errorEvent(part.error, attempt, context.timestamp()));
            return; // leaving the loop returns the body: the socket is released
          }
          context.emit({ type: 'chunk', attempt, timestamp: context.timestamp(), bytes: part.bytes, index: chunks });
          chunks += 1;
          bytes += part.bytes.byteLength;
          const waiting = demand?.();
          if (waiting) await waiting;
        }
      }
      decoder.end();
    } catch (error) {
      if (signal.aborted || !isSageMakerRuntimeError(error)) throw error;
      context.emit(errorEvent(withStreamMetadata(error, $metadata), attempt, context.timestamp()));
      return;
    }
    context.emit({
      type: 'response',
      attempt,
      timestamp: context.timestamp(),
      durationMs: context.elapsedMs(),
      output: { ...headers, chunks, bytes },
    });
  };
}

/** A transport error thrown mid-stream does not know the response it interrupted: give it the stream's status and request id. */
function withStreamMetadata(error: SageMakerRuntimeError, $metadata: ResponseMetadata): SageMakerRuntimeError {
  error.$metadata = { ...$metadata, ...definedOnly(error.$metadata) };
  return error;
}

function definedOnly(metadata: ResponseMetadata): ResponseMetadata {
  return Object.fromEntries(Object.entries(metadata).filter(([, v]) => v !== undefined)) as ResponseMetadata;
}

/**
 * The cold Observable of one `InvokeEndpointWithResponseStream` call on the shared attempt
 * pipeline: `sent`, then `headers`, `chunk`…, `response` — or `error` — then complete.
 */
export function invokeEndpointWithResponseStream$(
  deps: AttemptDeps,
  input: InvokeEndpointWithResponseStreamInput,
  demand?: StreamHandlerOptions['demand'],
): Observable<InvokeStreamEvent> {
  const handler =
    deps.maxEventStreamFrameBytes === undefined && demand === undefined
      ? invokeEndpointWithResponseStreamHandler
      : streamHandler({ maxFrameBytes: deps.maxEventStreamFrameBytes, demand });
  return attempt$(deps, 'InvokeEndpointWithResponseStream', input, handler) as Observable<InvokeStreamEvent>;
}
