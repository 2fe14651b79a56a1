/**
 * The failure of an async inference, read from its `FailureLocation`: the service wrote the
 * failure object instead of an output.
 */
import { nameGuard } from './name-guard.js';
import { SageMakerRuntimeError, type ResponseMetadata } from './sagemaker-runtime-error.js';

/** Longest part of the failure object quoted in the message. */
const QUOTED_CHARS = 500;

/**
 * An async inference failed: its failure object was written at `FailureLocation`. `failure` holds
 * the object's bytes as written (the container's error answer, or the service's reason). Not
 * retryable: the inference ran; send it again if the cause is gone.
 */
export class AsyncInferenceError extends SageMakerRuntimeError {
  override name = 'AsyncInferenceError' as const;
  /** The failure object, byte for byte. */
  readonly failure: Uint8Array;
  /** The failure object's `Content-Type`. */
  readonly ContentType?: string;
  readonly FailureLocation: string;
  readonly InferenceId?: string;

  constructor(init: { failure: Uint8Array; FailureLocation: string; InferenceId?: string; ContentType?: string; $metadata?: ResponseMetadata }) {
    const text = new TextDecoder().decode(init.failure.subarray(0, QUOTED_CHARS * 4)).slice(0, QUOTED_CHARS);
    super({
      name: 'AsyncInferenceError',
      message: `async inference ${init.InferenceId === undefined ? '' : `${init.InferenceId} `}failed; its failure object at ${init.FailureLocation} says: ${text}`,
      $fault: 'server',
      retryable: false,
      throttling: false,
      ...(init.$metadata !== undefined ? { $metadata: init.$metadata } : {}),
    });
    this.failure = init.failure;
    this.FailureLocation = init.FailureLocation;
    if (init.InferenceId !== undefined) this.InferenceId = init.InferenceId;
    if (init.ContentType !== undefined) this.ContentType = init.ContentType;
  }

  /** The failure object as UTF-8 text. */
  get failureText(): string {
    return new TextDecoder().decode(this.failure);
  }
}

/** True for an `AsyncInferenceError`, even when two copies of the library are loaded. */
export const isAsyncInferenceError = nameGuard<AsyncInferenceError>('AsyncInferenceError');
