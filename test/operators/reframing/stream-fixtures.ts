// Events of one response stream, shared by the reframing operators' tests (built with the testing kit).
import { chunkEvent, sentEvent, streamResponseEvent } from '../../../src/testing/event-builders.js';

export const enc = new TextEncoder();
export const sent = sentEvent(1, 0, 'http://x');
export const chunk = (bytes: Uint8Array, index: number) => chunkEvent(bytes, index);
export const done = streamResponseEvent({ chunks: 1, bytes: 1, $metadata: {} });
