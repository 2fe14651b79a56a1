/**
 * How the emulator answers each error: the status, the `x-amzn-ErrorType` namespace and the
 * message key. SageMaker's modelled errors take their status and operations from the model
 * (`MODELLED_ERRORS`); the AWS front end's errors (auth, throttling, routing) are listed here.
 */
import { MODELLED_ERRORS, type ModelledErrorName, type OperationName } from '../../model/index.js';

const SAGEMAKER_NS = 'http://internal.amazon.com/coral/com.amazon.sagemaker/';
const CORAL_NS = 'http://internal.amazon.com/coral/com.amazon.coral.service/';

/** How the emulator answers one error: status, namespace of `x-amzn-ErrorType`, key of the message in the JSON body. */
export interface ErrorShape {
  status: number;
  namespace: string;
  messageKey: 'message' | 'Message';
}

/** The errors of the AWS front end, which the service model does not list. */
const FRONT_END_ERRORS = {
  ThrottlingException: { status: 400, namespace: CORAL_NS, messageKey: 'message' },
  UnknownOperationException: { status: 404, namespace: CORAL_NS, messageKey: 'message' },
  MissingAuthenticationTokenException: { status: 403, namespace: CORAL_NS, messageKey: 'message' },
  IncompleteSignatureException: { status: 403, namespace: CORAL_NS, messageKey: 'message' },
  UnrecognizedClientException: { status: 403, namespace: CORAL_NS, messageKey: 'message' },
  InvalidSignatureException: { status: 403, namespace: CORAL_NS, messageKey: 'message' },
} as const satisfies Record<string, ErrorShape>;

/** The name of an error the emulator can answer. */
export type EmulatorErrorName = ModelledErrorName | keyof typeof FRONT_END_ERRORS;

/**
 * A modelled error's shape: its status from the model (the documented one for the stream
 * errors, which the model gives none), and `Message` as the key (what the AWS SDK reads into
 * the modelled member), except `ValidationError`, which AWS answers with `message`.
 */
function modelledShape(name: ModelledErrorName): ErrorShape {
  const error = MODELLED_ERRORS[name];
  return { status: error.status ?? error.documentedStatus ?? 500, namespace: SAGEMAKER_NS, messageKey: name === 'ValidationError' ? 'message' : 'Message' };
}

/** Every error the emulator answers. */
export const ERROR_SHAPES: Readonly<Record<EmulatorErrorName, ErrorShape>> = {
  ...(Object.fromEntries(Object.keys(MODELLED_ERRORS).map((name) => [name, modelledShape(name as ModelledErrorName)])) as Record<ModelledErrorName, ErrorShape>),
  ...FRONT_END_ERRORS,
};

/** Whether `operation` may answer the error `name`: a modelled error only where the model lists it; the front end's anywhere. */
export function isModelledOn(name: EmulatorErrorName, operation: OperationName): boolean {
  return Object.hasOwn(MODELLED_ERRORS, name) ? MODELLED_ERRORS[name as ModelledErrorName].operations.includes(operation) : true;
}
