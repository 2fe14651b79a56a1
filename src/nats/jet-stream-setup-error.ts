/**
 * Thrown before any record is pulled when the JetStream side of a run cannot work: no NATS server
 * answers at the URL, the input stream does not exist, no stream stores the output or dead-letter subject, the outputs would
 * flow back into the input, or the consumer is not a durable explicit-ack pull consumer.
 */
export class JetStreamSetupError extends Error {
  override readonly name = 'JetStreamSetupError' as const;
  /** What is wrong: which option or resource, and the rule. */
  readonly problem: 'server-unreachable' | 'stream-not-found' | 'subject-not-stored' | 'output-loops-to-input' | 'consumer-unusable';

  constructor(problem: JetStreamSetupError['problem'], message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.problem = problem;
  }
}

/** True for a {@link JetStreamSetupError}, also from another copy of the library. */
export function isJetStreamSetupError(error: unknown): error is JetStreamSetupError {
  return error instanceof Error && error.name === 'JetStreamSetupError';
}
