/**
 * Maps a request line to what the emulator serves: a SageMaker Runtime operation
 * (`POST /endpoints/{name}/{suffix}`) or an object of its S3-compatible store
 * (`GET|HEAD|PUT /{bucket}/{key}`, path-style).
 */
import { OPERATIONS, type OperationName } from '../../model/index.js';

/** A SageMaker Runtime operation on an endpoint. */
export interface SageMakerRoute {
  kind: 'sagemaker';
  operation: OperationName;
  endpointName: string;
}

/** The S3 operations the object store answers. */
export type S3OperationName = 'GetObject' | 'HeadObject' | 'PutObject';

/** An object of the store. */
export interface S3Route {
  kind: 's3';
  operation: S3OperationName;
  bucket: string;
  key: string;
  /** `s3://bucket/key`. */
  uri: string;
}

/** A matched route. */
export type Route = SageMakerRoute | S3Route;

const BY_SUFFIX: ReadonlyMap<string, OperationName> = new Map(
  (Object.keys(OPERATIONS) as OperationName[]).map((op) => [OPERATIONS[op].suffix, op]),
);

const SAGEMAKER_PATH = /^\/endpoints\/([^/]+)\/([^/]+)$/;
const S3_PATH = /^\/([^/]+)\/(.+)$/;
const S3_METHODS: Readonly<Record<string, S3OperationName>> = { GET: 'GetObject', HEAD: 'HeadObject', PUT: 'PutObject' };

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * SageMaker routes already matched, by path: a load test sends the same few paths over and over.
 * Bounded, so a client that sends endless distinct paths cannot grow it without limit.
 */
const SAGEMAKER_ROUTES = new Map<string, SageMakerRoute | undefined>();
const MAX_MEMOISED_ROUTES = 1_000;

function matchSageMakerRoute(path: string): SageMakerRoute | undefined {
  const m = SAGEMAKER_PATH.exec(path);
  const operation = m ? BY_SUFFIX.get(m[2]!) : undefined;
  const endpointName = m && operation ? decode(m[1]!) : undefined;
  return operation && endpointName !== undefined ? Object.freeze({ kind: 'sagemaker', operation, endpointName }) : undefined;
}

/** The route of a request; undefined for anything the emulator does not serve. Routes are shared: never change one. */
export function matchRoute(method: string, path: string): Route | undefined {
  if (method === 'POST') {
    const known = SAGEMAKER_ROUTES.get(path);
    if (known !== undefined || SAGEMAKER_ROUTES.has(path)) return known;
    const route = matchSageMakerRoute(path);
    if (SAGEMAKER_ROUTES.size >= MAX_MEMOISED_ROUTES) SAGEMAKER_ROUTES.clear();
    SAGEMAKER_ROUTES.set(path, route);
    return route;
  }
  const s3Operation = Object.hasOwn(S3_METHODS, method) ? S3_METHODS[method] : undefined;
  const m = s3Operation ? S3_PATH.exec(path) : null;
  if (!s3Operation || !m) return undefined;
  const bucket = decode(m[1]!);
  const key = decode(m[2]!);
  // `/endpoints/…` is SageMaker's: a GET there is an unknown operation, not a bucket named `endpoints`.
  if (bucket === undefined || key === undefined || bucket === 'endpoints') return undefined;
  return { kind: 's3', operation: s3Operation, bucket, key, uri: `s3://${bucket}/${key}` };
}
