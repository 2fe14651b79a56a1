import { nameGuard } from './name-guard.js';
import { SageMakerRuntimeError, type SageMakerRuntimeErrorInit } from './sagemaker-runtime-error.js';

/** What the error parser passes to every service error: the AWS code is the `name`. */
export type ServiceErrorInit = Omit<SageMakerRuntimeErrorInit, 'name'> & {
  /** The modelled `Message` member, when the body carried it with that exact key. */
  Message?: string;
};

function init<N extends string>(name: N, i: ServiceErrorInit): SageMakerRuntimeErrorInit {
  return { ...i, name };
}

/** Inspect the request: a parameter is wrong or the endpoint does not exist (400). Not retried. */
export class ValidationError extends SageMakerRuntimeError {
  override name = 'ValidationError' as const;
  readonly Message?: string;
  constructor(i: ServiceErrorInit) {
    super(init('ValidationError', i));
    this.Message = i.Message;
  }
}

export interface ModelErrorInit extends ServiceErrorInit {
  OriginalStatusCode?: number;
  OriginalMessage?: string;
  LogStreamArn?: string;
  /** Unmodelled but seen in the wild, e.g. `CLIENT_ERROR_FROM_MODEL`. */
  ErrorCode?: string;
}

/** The model container answered with an error (424). Not retried: the container decided. */
export class ModelError extends SageMakerRuntimeError {
  override name = 'ModelError' as const;
  readonly Message?: string;
  /** The status code the container returned. */
  readonly OriginalStatusCode?: number;
  /** The body the container returned. */
  readonly OriginalMessage?: string;
  /** The CloudWatch log stream of the container. */
  readonly LogStreamArn?: string;
  readonly ErrorCode?: string;
  constructor(i: ModelErrorInit) {
    super(init('ModelError', i));
    this.Message = i.Message;
    this.OriginalStatusCode = i.OriginalStatusCode;
    this.OriginalMessage = i.OriginalMessage;
    this.LogStreamArn = i.LogStreamArn;
    this.ErrorCode = i.ErrorCode;
  }
}

/** The model is not ready to serve (429). Throttling: retried with the throttling backoff. */
export class ModelNotReadyException extends SageMakerRuntimeError {
  override name = 'ModelNotReadyException' as const;
  readonly Message?: string;
  constructor(i: ServiceErrorInit) {
    super(init('ModelNotReadyException', i));
    this.Message = i.Message;
  }
}

/** The service failed internally (500). Transient: retried. */
export class InternalFailure extends SageMakerRuntimeError {
  override name = 'InternalFailure' as const;
  readonly Message?: string;
  constructor(i: ServiceErrorInit) {
    super(init('InternalFailure', i));
    this.Message = i.Message;
  }
}

/** The service is unavailable (503). Transient: retried. */
export class ServiceUnavailable extends SageMakerRuntimeError {
  override name = 'ServiceUnavailable' as const;
  readonly Message?: string;
  constructor(i: ServiceErrorInit) {
    super(init('ServiceUnavailable', i));
    this.Message = i.Message;
  }
}

/** A dependency of the service failed (530). Not retried, as the AWS SDKs do not. */
export class InternalDependencyException extends SageMakerRuntimeError {
  override name = 'InternalDependencyException' as const;
  readonly Message?: string;
  constructor(i: ServiceErrorInit) {
    super(init('InternalDependencyException', i));
    this.Message = i.Message;
  }
}

export interface ModelStreamErrorInit extends ServiceErrorInit {
  /** `ModelInvocationTimeExceeded` or `StreamBroken`. */
  ErrorCode?: string;
}

/** The model's response stream failed, before or after HTTP 200. Not retried (data may have been delivered). */
export class ModelStreamError extends SageMakerRuntimeError {
  override name = 'ModelStreamError' as const;
  readonly Message?: string;
  readonly ErrorCode?: string;
  constructor(i: ModelStreamErrorInit) {
    super(init('ModelStreamError', i));
    this.Message = i.Message;
    this.ErrorCode = i.ErrorCode;
  }
}

/** The service failed while streaming. Transient before the first chunk. */
export class InternalStreamFailure extends SageMakerRuntimeError {
  override name = 'InternalStreamFailure' as const;
  readonly Message?: string;
  constructor(i: ServiceErrorInit) {
    super(init('InternalStreamFailure', i));
    this.Message = i.Message;
  }
}

/**
 * Any other AWS error code on the wire (`ThrottlingException`, `AccessDeniedException`,
 * `ExpiredTokenException`, `InvalidSignatureException`, …): the code is the `name`, and
 * every field of the JSON body is kept in `body`.
 */
export class ServiceError extends SageMakerRuntimeError {
  readonly Message?: string;
  /** The parsed JSON error body, or `undefined` when it was not JSON. */
  readonly body?: Record<string, unknown>;
  constructor(name: string, i: ServiceErrorInit & { body?: Record<string, unknown> }) {
    super({ ...i, name });
    this.Message = i.Message;
    this.body = i.body;
  }
}

/** The modelled service errors by their AWS code, for the error parser. */
export const MODELLED_SERVICE_ERRORS = {
  ValidationError,
  ModelError,
  ModelNotReadyException,
  InternalFailure,
  ServiceUnavailable,
  InternalDependencyException,
  ModelStreamError,
  InternalStreamFailure,
} as const;


export const isValidationError = nameGuard<ValidationError>('ValidationError');
export const isModelError = nameGuard<ModelError>('ModelError');
export const isModelNotReadyException = nameGuard<ModelNotReadyException>('ModelNotReadyException');
export const isInternalFailure = nameGuard<InternalFailure>('InternalFailure');
export const isServiceUnavailable = nameGuard<ServiceUnavailable>('ServiceUnavailable');
export const isInternalDependencyException = nameGuard<InternalDependencyException>('InternalDependencyException');
export const isModelStreamError = nameGuard<ModelStreamError>('ModelStreamError');
export const isInternalStreamFailure = nameGuard<InternalStreamFailure>('InternalStreamFailure');
