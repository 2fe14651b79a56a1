/**
 * The errors the service model declares: status, fault, and the operations that raise them.
 * The client names a code-less answer from it, the emulator answers with it, the testing kit
 * builds errors from it.
 */
import type { OperationName } from './operations.js';

export type ModelledErrorName =
  | 'ValidationError'
  | 'ModelError'
  | 'ModelNotReadyException'
  | 'InternalFailure'
  | 'ServiceUnavailable'
  | 'InternalDependencyException'
  | 'ModelStreamError'
  | 'InternalStreamFailure';

export interface ModelledError {
  readonly name: ModelledErrorName;
  /**
   * The HTTP status the model gives it. `ModelStreamError` and `InternalStreamFailure` have none
   * in the model (their documented statuses are listed under `documentedStatus`), so a response
   * without a code is never guessed to be one of them.
   */
  readonly status?: number;
  readonly documentedStatus?: number;
  readonly fault: 'client' | 'server';
  /** Operations whose model lists it as an HTTP error. */
  readonly operations: readonly OperationName[];
  /** It also arrives as an exception frame inside a response stream. */
  readonly streamEvent?: boolean;
}

const ALL: readonly OperationName[] = ['InvokeEndpoint', 'InvokeEndpointWithResponseStream', 'InvokeEndpointAsync'];
const REAL_TIME: readonly OperationName[] = ['InvokeEndpoint', 'InvokeEndpointWithResponseStream'];

export const MODELLED_ERRORS: Readonly<Record<ModelledErrorName, ModelledError>> = {
  ValidationError: { name: 'ValidationError', status: 400, fault: 'client', operations: ALL },
  ModelError: { name: 'ModelError', status: 424, fault: 'client', operations: REAL_TIME },
  ModelNotReadyException: { name: 'ModelNotReadyException', status: 429, fault: 'client', operations: ['InvokeEndpoint'] },
  InternalFailure: { name: 'InternalFailure', status: 500, fault: 'server', operations: ALL },
  ServiceUnavailable: { name: 'ServiceUnavailable', status: 503, fault: 'server', operations: ALL },
  InternalDependencyException: { name: 'InternalDependencyException', status: 530, fault: 'server', operations: ['InvokeEndpoint'] },
  ModelStreamError: { name: 'ModelStreamError', documentedStatus: 400, fault: 'client', operations: ['InvokeEndpointWithResponseStream'], streamEvent: true },
  InternalStreamFailure: { name: 'InternalStreamFailure', documentedStatus: 500, fault: 'server', operations: ['InvokeEndpointWithResponseStream'], streamEvent: true },
};

/** The name of an error answer that carried no code: the one modelled error for its status and operation, else `Unknown`. */
export function modelledErrorNameFromStatus(status: number, operation?: OperationName): ModelledErrorName | 'Unknown' {
  const candidates = Object.values(MODELLED_ERRORS).filter((e) => e.status === status && (operation === undefined || e.operations.includes(operation)));
  return candidates.length === 1 ? candidates[0]!.name : 'Unknown';
}
