/**
 * What one decoded message of a SageMaker response stream means: a
 * `PayloadPart`'s bytes, a typed error (modelled `exception`, unmodelled `error`), or nothing
 * (an event type this client does not know, skipped as the AWS SDKs skip it).
 */
import type { MessageHeaderValue } from '@smithy/eventstream-codec';
import { toUtf8 } from '@smithy/util-utf8';
import type { ResponseMetadata, SageMakerRuntimeError } from '../errors/sagemaker-runtime-error.js';
import { MODELLED_SERVICE_ERRORS, ModelStreamError, ServiceError } from '../errors/service-errors.js';
import { parseJsonObject } from './deserialize.js';
import { EVENT_STREAM_ERROR_CODES, eventStreamFailure, type EventStreamMessage } from './event-stream.js';

/** Event-stream header names (Smithy `amazon-eventstream`). */
export const EVENT_STREAM_HEADERS = {
  messageType: ':message-type',
  eventType: ':event-type',
  exceptionType: ':exception-type',
  errorCode: ':error-code',
  errorMessage: ':error-message',
  contentType: ':content-type',
} as const;

/** The `:event-type` of a data event of the `ResponseStream` union. */
export const PAYLOAD_PART_EVENT_TYPE = 'PayloadPart';

/** Who is at fault for a mid-stream exception, by its type; others are `server` (the stream broke). */
const EXCEPTION_FAULT: Readonly<Record<string, 'client' | 'server'>> = {
  ModelStreamError: 'client',
  InternalStreamFailure: 'server',
};

/** The meaning of one response-stream message. */
export type ResponseStreamPart =
  | { kind: 'payload'; bytes: Uint8Array }
  | { kind: 'error'; error: SageMakerRuntimeError }
  | { kind: 'skip'; eventType: string };

/**
 * Reads one decoded message of an `InvokeEndpointWithResponseStream` body.
 *
 * - `event` + `:event-type PayloadPart` → `payload` with the message's bytes;
 * - `event` of any other type → `skip` (a newer service may add members);
 * - `exception` → `error`: `ModelStreamError` (with `ErrorCode`), `InternalStreamFailure`, or
 *   a `ServiceError` named after `:exception-type`; the message is the payload's `Message` or
 *   `message` (or its text when it is not JSON);
 * - `error` → `error`: a `ServiceError` named `:error-code` with message `:error-message`;
 * - no or another `:message-type` → `error`: `InternalStreamFailure` with code `EVENT_STREAM_MALFORMED`.
 *
 * @param $metadata copied onto the errors (the stream's HTTP status, request id).
 */
export function readResponseStreamMessage(message: EventStreamMessage, $metadata: ResponseMetadata = {}): ResponseStreamPart {
  const messageType = stringHeader(message, EVENT_STREAM_HEADERS.messageType);
  switch (messageType) {
    case 'event': {
      const eventType = stringHeader(message, EVENT_STREAM_HEADERS.eventType) ?? '';
      return eventType === PAYLOAD_PART_EVENT_TYPE ? { kind: 'payload', bytes: message.body } : { kind: 'skip', eventType };
    }
    case 'exception':
      return { kind: 'error', error: exceptionError(message, $metadata) };
    case 'error': {
      const name = stringHeader(message, EVENT_STREAM_HEADERS.errorCode) || 'UnknownError';
      const text = stringHeader(message, EVENT_STREAM_HEADERS.errorMessage) ?? '';
      return { kind: 'error', error: new ServiceError(name, { message: text || name, $metadata, $fault: 'server' }) };
    }
    default:
      return {
        kind: 'error',
        error: eventStreamFailure(
          EVENT_STREAM_ERROR_CODES.malformed,
          messageType === undefined
            ? 'malformed event stream message: no :message-type header'
            : `malformed event stream message: unknown :message-type "${messageType}"`,
          $metadata,
        ),
      };
  }
}

function exceptionError(message: EventStreamMessage, $metadata: ResponseMetadata): SageMakerRuntimeError {
  const name = stringHeader(message, EVENT_STREAM_HEADERS.exceptionType) || 'UnknownError';
  const body = parseJsonObject(message.body);
  const Message = typeof body?.['Message'] === 'string' ? (body['Message'] as string) : undefined;
  const lower = typeof body?.['message'] === 'string' ? (body['message'] as string) : undefined;
  const init = { message: Message ?? lower ?? (body === undefined ? toUtf8(message.body) : ''), Message, $metadata, $fault: Object.hasOwn(EXCEPTION_FAULT, name) ? EXCEPTION_FAULT[name]! : 'server' };
  if (name === 'ModelStreamError') {
    const ErrorCode = typeof body?.['ErrorCode'] === 'string' ? (body['ErrorCode'] as string) : undefined;
    return new ModelStreamError({ ...init, message: init.message || `ModelStreamError${ErrorCode ? ` (${ErrorCode})` : ''}`, ErrorCode });
  }
  if (Object.hasOwn(MODELLED_SERVICE_ERRORS, name)) {
    const Modelled = (MODELLED_SERVICE_ERRORS as Record<string, new (i: typeof init) => SageMakerRuntimeError>)[name]!;
    return new Modelled({ ...init, message: init.message || name });
  }
  return new ServiceError(name, { ...init, message: init.message || name, body });
}

function stringHeader(message: EventStreamMessage, name: string): string | undefined {
  const header: MessageHeaderValue | undefined = message.headers[name];
  return header?.type === 'string' ? header.value : undefined;
}
