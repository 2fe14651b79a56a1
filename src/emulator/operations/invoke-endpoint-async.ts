/**
 * Answers `InvokeEndpointAsync`: enqueues the inference and answers 202 at once with
 * `{"InferenceId": …}` and the S3 output and failure locations, where the background run
 * (`AsyncInferences`) writes the result.
 */
import { randomUUID } from 'node:crypto';
import { REQUEST_HEADERS } from '../../model/index.js';
import { ASYNC_BUCKET } from '../constants.js';

const H = REQUEST_HEADERS.InvokeEndpointAsync;

/** The output and failure S3 URIs of an async inference. */
export function asyncLocations(endpointName: string, inferenceId: string, headers: Record<string, string>): { output: string; failure: string } {
  const extension = headers[H.S3OutputPathExtension];
  const file = headers[H.Filename] ?? `${inferenceId}.out`;
  const at = (kind: string) => `s3://${ASYNC_BUCKET}/${endpointName}/${kind}/${extension ? `${extension.replace(/^\/+|\/+$/g, '')}/` : ''}${file}`;
  return { output: at('output'), failure: at('failure') };
}

/** The inference id of the request: its `InferenceId`, or one the service makes up. */
export function inferenceIdOf(headers: Record<string, string>): string {
  return headers[H.InferenceId] ?? randomUUID();
}

/** The 202 body and headers. */
export function acceptedAnswer(requestId: string, inferenceId: string, locations: { output: string; failure: string }): { headers: Record<string, string>; body: Buffer } {
  const body = Buffer.from(JSON.stringify({ InferenceId: inferenceId }), 'utf8');
  return {
    body,
    headers: {
      'x-amzn-RequestId': requestId,
      'Content-Type': 'application/json',
      'X-Amzn-SageMaker-OutputLocation': locations.output,
      'X-Amzn-SageMaker-FailureLocation': locations.failure,
      'Content-Length': String(body.length),
    },
  };
}
