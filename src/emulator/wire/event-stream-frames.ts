/**
 * Encodes the frames of SageMaker's response stream with
 * `@smithy/eventstream-codec`: `PayloadPart` events and modelled `exception` events.
 */
import { EventStreamCodec, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

const str = (value: string) => ({ type: 'string' as const, value });

/** A `PayloadPart` event frame carrying `bytes`. */
export function payloadPartFrame(bytes: Uint8Array): Uint8Array {
  const headers: MessageHeaders = {
    ':message-type': str('event'),
    ':event-type': str('PayloadPart'),
    ':content-type': str('application/octet-stream'),
  };
  return codec.encode({ headers, body: bytes });
}

/** A modelled exception frame (`ModelStreamError`, `InternalStreamFailure`) with a JSON payload. */
export function exceptionFrame(exceptionType: 'ModelStreamError' | 'InternalStreamFailure', payload: Record<string, unknown>): Uint8Array {
  const headers: MessageHeaders = {
    ':message-type': str('exception'),
    ':exception-type': str(exceptionType),
    ':content-type': str('application/json'),
  };
  return codec.encode({ headers, body: fromUtf8(JSON.stringify(payload)) });
}
