/**
 * The headers that reach a container: only those bound to a member of the operation. The
 * service strips every other request header (`user-agent`, `x-amz-date`, `amz-sdk-*`, a custom
 * `X-…`), so a model that works against the emulator does not come to rely on one.
 */
import { REQUEST_HEADERS, type OperationName } from '../../model/index.js';

const API_HEADERS: Readonly<Record<OperationName, ReadonlySet<string>>> = {
  InvokeEndpoint: new Set(Object.values(REQUEST_HEADERS.InvokeEndpoint)),
  InvokeEndpointWithResponseStream: new Set(Object.values(REQUEST_HEADERS.InvokeEndpointWithResponseStream)),
  InvokeEndpointAsync: new Set(Object.values(REQUEST_HEADERS.InvokeEndpointAsync)),
};

/** The request's headers bound to members of `operation` (lower-case names). */
export function apiHeaders(operation: OperationName, headers: Readonly<Record<string, string>>): Record<string, string> {
  const allowed = API_HEADERS[operation];
  const out: Record<string, string> = {};
  for (const name in headers) if (allowed.has(name) && Object.hasOwn(headers, name)) out[name] = headers[name]!;
  return out;
}
