/** The facts of an error worth publishing: name, message, fault, the two flags, status, request id. */
import type { SageMakerRuntimeError } from '../errors/sagemaker-runtime-error.js';
import type { DiagnosticsError } from './messages.js';

/** Reads the publishable facts of a `SageMakerRuntimeError` (or of a defect: any thrown value). */
export function errorFacts(error: SageMakerRuntimeError | unknown): DiagnosticsError {
  const e = (error ?? {}) as Partial<SageMakerRuntimeError>;
  const metadata = e.$metadata;
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: typeof e.message === 'string' ? e.message : String(error),
    fault: e.$fault === 'server' ? 'server' : 'client',
    retryable: e.retryable === true,
    throttling: e.throttling === true,
    ...(metadata?.httpStatusCode !== undefined ? { statusCode: metadata.httpStatusCode } : {}),
    ...(metadata?.requestId !== undefined ? { requestId: metadata.requestId } : {}),
  };
}
