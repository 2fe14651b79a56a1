/**
 * The application's settings, read from the environment once at start-up. In a real app this is
 * `@nestjs/config`'s `ConfigService`; a plain provider keeps the example free of another package.
 */
import type { AwsCredentials } from '../../src/index.js';

/** What the application reads from its environment. */
export interface AppSettings {
  /** The AWS region the client signs for (`AWS_REGION`). */
  region: string;
  /** A custom endpoint URL (`SAGEMAKER_ENDPOINT_URL`): the emulator, a VPC endpoint. Omit for AWS. */
  endpoint?: string;
  /** Static credentials (the emulator's); omit them for the default provider chain. */
  credentials?: AwsCredentials;
  /** The SageMaker endpoint that scores reviews (`REVIEWS_ENDPOINT`). */
  reviewsEndpointName: string;
  /** The SageMaker endpoint that streams generated text (`GENERATOR_ENDPOINT`). */
  generatorEndpointName: string;
  /** Deadline of one attempt, in ms. */
  attemptTimeoutMs: number;
  /** Largest batch `POST /reviews/enrich` accepts, in records. */
  maxBatchRecords: number;
}

/** The token of the `AppSettings`. */
export const APP_SETTINGS = Symbol('APP_SETTINGS');

/** Settings from `env`, with the defaults of a local run. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): AppSettings {
  return {
    region: env.AWS_REGION ?? 'us-east-1',
    endpoint: env.SAGEMAKER_ENDPOINT_URL || undefined,
    reviewsEndpointName: env.REVIEWS_ENDPOINT ?? 'reviews',
    generatorEndpointName: env.GENERATOR_ENDPOINT ?? 'generator',
    attemptTimeoutMs: Number(env.ATTEMPT_TIMEOUT_MS ?? 10_000),
    maxBatchRecords: Number(env.MAX_BATCH_RECORDS ?? 1_000),
  };
}
