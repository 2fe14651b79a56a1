/**
 * Maps a request line to an operation and endpoint name (reference §1.1).
 */
import { OPERATIONS, type OperationName } from '../protocol/wire.js';

/** A matched route. */
export interface Route {
  operation: OperationName;
  endpointName: string;
}

const BY_SUFFIX: ReadonlyMap<string, OperationName> = new Map(
  (Object.keys(OPERATIONS) as OperationName[]).map((op) => [OPERATIONS[op].suffix, op]),
);

const PATH = /^\/endpoints\/([^/]+)\/([^/]+)$/;

/** The operation and endpoint of `POST /endpoints/{name}/{suffix}`; undefined for anything else. */
export function matchRoute(method: string, path: string): Route | undefined {
  if (method !== 'POST') return undefined;
  const m = PATH.exec(path);
  if (!m) return undefined;
  const operation = BY_SUFFIX.get(m[2]!);
  if (!operation) return undefined;
  let endpointName: string;
  try {
    endpointName = decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
  return { operation, endpointName };
}
