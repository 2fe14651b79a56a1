// Events of one response stream, shared by the reframing operators' tests.
import type { InvokeChunkEvent, InvokeResponseEvent, InvokeSentEvent } from '../../../src/events/invoke-event.js';
import type { InvokeEndpointWithResponseStreamSummary } from '../../../src/model/shapes.js';

export const enc = new TextEncoder();
export const sent: InvokeSentEvent = { type: 'sent', attempt: 1, timestamp: 0, request: { method: 'POST', url: 'http://x', headers: {}, bodySize: 0 } };
export const chunk = (bytes: Uint8Array, index: number): InvokeChunkEvent => ({ type: 'chunk', attempt: 1, timestamp: 0, index, bytes });
export const done: InvokeResponseEvent<InvokeEndpointWithResponseStreamSummary> = {
  type: 'response',
  attempt: 1,
  timestamp: 0,
  durationMs: 1,
  output: { chunks: 1, bytes: 1, $metadata: {} },
};
