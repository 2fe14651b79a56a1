/**
 * The `echo` model: answers the request body and content type unchanged, and the request's
 * custom attributes. A JSON object body with `"__echoHeaders": true` gets the request headers
 * the container received back under `"__headers"`: the API's headers only, as the service strips
 * the rest.
 */
import { DEFAULT_CONTENT_TYPE } from '../../model/index.js';
import type { ModelRequest, ModelResponse } from '../types.js';

/** The JSON key that asks `echo` to return the headers it received. */
export const ECHO_HEADERS_FLAG = '__echoHeaders';
/** The JSON key under which `echo` returns the headers it received. */
export const ECHO_HEADERS_KEY = '__headers';

/**
 * A JSON object body can only carry the flag if its text holds the key, or a `\u` escape that
 * could spell it: any other body is echoed without being parsed.
 */
function mayCarryFlag(body: Buffer): boolean {
  return body.includes(ECHO_HEADERS_FLAG) || body.includes('\\u');
}

function parseFlaggedObject(req: ModelRequest): Record<string, unknown> | undefined {
  if (req.body.length === 0 || req.body.length > 1_000_000) return undefined;
  if (req.body[0] !== 0x7b /* { */ || !mayCarryFlag(req.body)) return undefined;
  try {
    const value: unknown = JSON.parse(req.body.toString('utf8'));
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && (value as Record<string, unknown>)[ECHO_HEADERS_FLAG] === true) {
      return value as Record<string, unknown>;
    }
  } catch {
    /* not JSON: echoed as bytes */
  }
  return undefined;
}

/** Echoes the body, content type and custom attributes of the request. */
export function echoModel(req: ModelRequest): ModelResponse {
  const contentType = req.contentType ?? DEFAULT_CONTENT_TYPE;
  const flagged = parseFlaggedObject(req);
  const response: ModelResponse = { body: req.body, contentType };
  if (req.customAttributes !== undefined) response.customAttributes = req.customAttributes;
  if (flagged) {
    response.body = JSON.stringify({ ...flagged, [ECHO_HEADERS_KEY]: req.headers });
  }
  return response;
}
