/**
 * Writes a restJson1 error exactly as SageMaker does: the status of the error
 * shape, `x-amzn-ErrorType: <Name>:<namespace>`, `x-amzn-RequestId`, `Content-Type:
 * application/json` and a JSON body with the message under the shape's key.
 */
import type { ServerResponse } from 'node:http';
import { ERROR_SHAPES, type EmulatorErrorName } from './error-catalogue.js';

/** An error the emulator will answer: its name, message and any extra body members. */
export interface EmulatorErrorAnswer {
  name: EmulatorErrorName;
  /** `null` where the service sends `{"message":null}` (throttling). */
  message: string | null;
  /** Extra members of the JSON body (`OriginalStatusCode`, `ErrorCode`, …). */
  extra?: Record<string, unknown>;
}

/** The JSON body of an error answer. */
export function errorBody(answer: EmulatorErrorAnswer): Record<string, unknown> {
  const shape = ERROR_SHAPES[answer.name];
  return { ...answer.extra, [shape.messageKey]: answer.message };
}

/** Writes the error answer and ends the response; returns the status sent. */
export function writeError(
  res: ServerResponse,
  requestId: string,
  answer: EmulatorErrorAnswer,
  extraHeaders: Record<string, string> = {},
): number {
  const shape = ERROR_SHAPES[answer.name];
  const payload = Buffer.from(JSON.stringify(errorBody(answer)), 'utf8');
  res.writeHead(shape.status, {
    ...extraHeaders,
    'x-amzn-RequestId': requestId,
    'x-amzn-ErrorType': `${answer.name}:${shape.namespace}`,
    'Content-Type': 'application/json',
    'Content-Length': String(payload.length),
  });
  res.end(payload);
  return shape.status;
}
