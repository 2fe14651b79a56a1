/**
 * The errors the emulator answers: the status, the `x-amzn-ErrorType` namespace and the message
 * key of each, and the operations whose model lists it.
 */
import type { OperationName } from '../../model/index.js';

const SAGEMAKER_NS = 'http://internal.amazon.com/coral/com.amazon.sagemaker/';
const CORAL_NS = 'http://internal.amazon.com/coral/com.amazon.coral.service/';

/** How the emulator answers one error: status, namespace of `x-amzn-ErrorType`, key of the message in the JSON body. */
export interface ErrorShape {
  status: number;
  namespace: string;
  messageKey: 'message' | 'Message';
}

/**
 * Every error the emulator answers. SageMaker's modelled errors carry `Message` (what the AWS SDK
 * reads into the modelled member), except `ValidationError`, which AWS answers with `message`;
 * errors of the AWS front end (auth, throttling, routing) use `message` and the coral namespace.
 */
export const ERROR_SHAPES = {
  ValidationError: { status: 400, namespace: SAGEMAKER_NS, messageKey: 'message' },
  ModelError: { status: 424, namespace: SAGEMAKER_NS, messageKey: 'Message' },
  ModelNotReadyException: { status: 429, namespace: SAGEMAKER_NS, messageKey: 'Message' },
  InternalFailure: { status: 500, namespace: SAGEMAKER_NS, messageKey: 'Message' },
  ServiceUnavailable: { status: 503, namespace: SAGEMAKER_NS, messageKey: 'Message' },
  InternalDependencyException: { status: 530, namespace: SAGEMAKER_NS, messageKey: 'Message' },
  ModelStreamError: { status: 400, namespace: SAGEMAKER_NS, messageKey: 'Message' },
  InternalStreamFailure: { status: 500, namespace: SAGEMAKER_NS, messageKey: 'Message' },
  ThrottlingException: { status: 400, namespace: CORAL_NS, messageKey: 'message' },
  UnknownOperationException: { status: 404, namespace: CORAL_NS, messageKey: 'message' },
  MissingAuthenticationTokenException: { status: 403, namespace: CORAL_NS, messageKey: 'message' },
  IncompleteSignatureException: { status: 403, namespace: CORAL_NS, messageKey: 'message' },
  UnrecognizedClientException: { status: 403, namespace: CORAL_NS, messageKey: 'message' },
  InvalidSignatureException: { status: 403, namespace: CORAL_NS, messageKey: 'message' },
} as const satisfies Record<string, ErrorShape>;

/** The name of an error the emulator can answer. */
export type EmulatorErrorName = keyof typeof ERROR_SHAPES;


const SYNC_ONLY: readonly OperationName[] = ['InvokeEndpoint'];
const NOT_ASYNC: readonly OperationName[] = ['InvokeEndpoint', 'InvokeEndpointWithResponseStream'];

/**
 * SageMaker's modelled errors that only some operations list (the others list them all, or are
 * the front end's). An operation never answers an error its model does not list.
 */
const MODELLED_ON: Partial<Record<EmulatorErrorName, readonly OperationName[]>> = {
  ModelError: NOT_ASYNC,
  ModelNotReadyException: SYNC_ONLY,
  InternalDependencyException: SYNC_ONLY,
  ModelStreamError: ['InvokeEndpointWithResponseStream'],
  InternalStreamFailure: ['InvokeEndpointWithResponseStream'],
};

/** Whether `operation` may answer the error `name`. */
export function isModelledOn(name: EmulatorErrorName, operation: OperationName): boolean {
  const on = MODELLED_ON[name];
  return on === undefined || on.includes(operation);
}
