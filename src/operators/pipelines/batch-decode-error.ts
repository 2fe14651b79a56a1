import { SageMakerRuntimeError, type ResponseMetadata } from '../../errors/sagemaker-runtime-error.js';

/**
 * The answer to a batch could not be matched to its items: the codec's `decode` threw, or it
 * returned a different number of results than the batch had items (so no result can be trusted
 * to belong to its item). Every item of the batch gets this error. Not retried: the same batch
 * would be answered the same way; `splitOnFailure` bisects the batch instead.
 */
export class BatchDecodeError extends SageMakerRuntimeError {
  override name = 'BatchDecodeError' as const;
  /** Items in the batch: the number of results expected. */
  readonly expected: number;
  /** Results `decode` returned, when it returned an array. */
  readonly got?: number;
  /** The batch's id (`BatchInfo.id`). */
  readonly batchId: number;
  constructor(init: { batchId: number; expected: number; got?: number; cause?: unknown; $metadata?: ResponseMetadata }) {
    const why =
      init.got === undefined
        ? `the codec could not decode the answer (${init.cause instanceof Error ? init.cause.message : String(init.cause)})`
        : `the codec decoded ${init.got} results for ${init.expected} items`;
    super({
      name: 'BatchDecodeError',
      message: `batch ${init.batchId}: ${why}; expected ${init.expected}, got ${init.got ?? 'none'}`,
      $fault: 'client',
      $metadata: init.$metadata,
      cause: init.cause,
    });
    this.expected = init.expected;
    if (init.got !== undefined) this.got = init.got;
    this.batchId = init.batchId;
  }
}

/** True for a `BatchDecodeError`, even when two copies of the library are loaded. */
export function isBatchDecodeError(e: unknown): e is BatchDecodeError {
  return e instanceof Error && e.name === 'BatchDecodeError';
}
