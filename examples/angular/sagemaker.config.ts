/**
 * The configuration of the Angular `SageMakerService`: the client's options (the AWS SDK v3
 * names) plus the endpoint `score$` invokes, under the `SAGEMAKER_CONFIG` injection token.
 */
import { InjectionToken } from '@angular/core';
import type { SageMakerRuntimeConfig } from '../../src/index.js';

/** What `provideSageMaker(config)` takes: the client's options, and how `score$` calls the endpoint. */
export interface SageMakerConfig extends SageMakerRuntimeConfig {
  /** The SageMaker endpoint `score$` invokes (a sentiment model answering `{ label, score }`). @default 'sentiment' */
  endpointName?: string;
  /** Deadline of one attempt, in ms. @default 10_000 ms */
  attemptTimeoutMs?: number;
  /** Attempts in all, the first included (throttling, 5xx and timeouts are retried). @default 3 attempts */
  maxAttempts?: number;
}

/** The token `SageMakerService` reads its configuration from; set it with `provideSageMaker(config)`. */
export const SAGEMAKER_CONFIG = new InjectionToken<SageMakerConfig>('SAGEMAKER_CONFIG');
