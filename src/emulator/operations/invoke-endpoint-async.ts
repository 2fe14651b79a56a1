/**
 * Answers `InvokeEndpointAsync` (reference §1.8): 202, `{"InferenceId": …}`, and the S3
 * output and failure locations where the result would be written.
 */
import { randomUUID } from 'node:crypto';
import { REQUEST_HEADERS } from '../../protocol/wire.js';
import { ASYNC_BUCKET } from '../constants.js';
import type { RequestContext } from '../request-context.js';

const H = REQUEST_HEADERS.InvokeEndpointAsync;

/** The output and failure S3 URIs of an async inference. */
export function asyncLocations(endpointName: string, inferenceId: string, headers: Record<string, string>): { output: string; failure: string } {
  const extension = headers[H.S3OutputPathExtension];
  const file = headers[H.Filename] ?? `${inferenceId}.out`;
  const at = (kind: string) => `s3://${ASYNC_BUCKET}/${endpointName}/${kind}/${extension ? `${extension.replace(/^\/+|\/+$/g, '')}/` : ''}${file}`;
  return { output: at('output'), failure: at('failure') };
}

/** Accepts the request: 202 with the inference id and locations. */
export async function invokeEndpointAsync(ctx: RequestContext): Promise<void> {
  const inferenceId = ctx.modelRequest.headers[H.InferenceId] ?? randomUUID();
  const { output, failure } = asyncLocations(ctx.endpoint.name, inferenceId, ctx.modelRequest.headers);
  const body = Buffer.from(JSON.stringify({ InferenceId: inferenceId }), 'utf8');
  ctx.res.writeHead(202, {
    'x-amzn-RequestId': ctx.id,
    'Content-Type': 'application/json',
    'X-Amzn-SageMaker-OutputLocation': output,
    'X-Amzn-SageMaker-FailureLocation': failure,
    'Content-Length': String(body.length),
  });
  ctx.answered(202);
  ctx.res.end(body);
}
