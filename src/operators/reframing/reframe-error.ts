import { SageMakerRuntimeError } from '../../errors/sagemaker-runtime-error.js';

/** The text formats the reframing operators parse. */
export type StreamFormat = 'json-lines' | 'sse';

/**
 * A record of a response stream could not be parsed (`jsonLines()`, `textDeltas()`): names the
 * line. Reported as an `error` event that ends the invocation (the stream is aborted). Not
 * retryable: the model produced it, and a retry after data would duplicate what was delivered.
 */
export class StreamParseError extends SageMakerRuntimeError {
  override name = 'StreamParseError' as const;
  /** 1-based number of the offending line in the attempt's response stream. */
  readonly line: number;
  /** The format that failed to parse. */
  readonly format: StreamFormat;
  /** The offending text, cut to 200 characters. */
  readonly text: string;
  constructor(init: { line: number; format: StreamFormat; text: string; cause?: unknown }) {
    const text = init.text.length > 200 ? `${init.text.slice(0, 200)}…` : init.text;
    const reason = init.cause instanceof Error ? `: ${init.cause.message}` : '';
    super({
      name: 'StreamParseError',
      message: `malformed JSON on line ${init.line} of the response stream${reason} (${JSON.stringify(text)})`,
      $fault: 'server',
      cause: init.cause,
    });
    this.line = init.line;
    this.format = init.format;
    this.text = text;
  }
}

/** True for a `StreamParseError`, even when two copies of the library are loaded. */
export function isStreamParseError(e: unknown): e is StreamParseError {
  return e instanceof Error && e.name === 'StreamParseError';
}
