/**
 * The three operations of the SageMaker Runtime API: where each is sent and which status means
 * success. Every path the client sends and the emulator routes comes from this table.
 */

export type OperationName = 'InvokeEndpoint' | 'InvokeEndpointWithResponseStream' | 'InvokeEndpointAsync';

/** The SigV4 signing name of the service (not the endpoint prefix `runtime.sagemaker`). */
export const SIGNING_SERVICE = 'sagemaker';

export interface OperationFacts {
  /** The path suffix after `/endpoints/{EndpointName}/`. */
  readonly suffix: string;
  /** The status of a successful answer. */
  readonly successStatus: number;
}

export const OPERATIONS: Readonly<Record<OperationName, OperationFacts>> = {
  InvokeEndpoint: { suffix: 'invocations', successStatus: 200 },
  InvokeEndpointWithResponseStream: { suffix: 'invocations-response-stream', successStatus: 200 },
  InvokeEndpointAsync: { suffix: 'async-invocations', successStatus: 202 },
};

export const OPERATION_NAMES = Object.keys(OPERATIONS) as readonly OperationName[];

/** `/endpoints/{EndpointName}/{suffix}`, the label escaped as the AWS SDK does (`extendedEncodeURIComponent`). */
export function operationPath(operation: OperationName, endpointName: string): string {
  const label = encodeURIComponent(endpointName).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `/endpoints/${label}/${OPERATIONS[operation].suffix}`;
}
