/**
 * `ReviewsService`: scores product reviews with a SageMaker sentiment endpoint, the way a Nest
 * service would — the client injected under `SAGEMAKER_RUNTIME`, each call a cold Observable a
 * controller can return as is (Nest subscribes, and unsubscribes when the client goes away).
 */
import { Inject, Injectable } from '@nestjs/common';
import { from, map, type Observable } from 'rxjs';
import {
  invokeEach,
  output,
  retryInvocation,
  timeoutInvocation,
  type InvocationResult,
  type InvokeEndpointInput,
  type InvokeEndpointOutput,
  type SageMakerRuntime,
} from '../../src/index.js';
import { SAGEMAKER_RUNTIME } from './sagemaker.constants.js';
import { APP_SETTINGS, type AppSettings } from './settings.module.js';

/** A review to score. */
export interface Review {
  id: string;
  rating: number;
  text: string;
}

/** What the sentiment model answers for one text. */
export interface Sentiment {
  label: 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL';
  /** Confidence in the label, 0..1. */
  score: number;
}

/** Reads the model's JSON answer. */
export function decodeSentiment(out: InvokeEndpointOutput): Sentiment {
  return JSON.parse(Buffer.from(out.Body).toString('utf8')) as Sentiment;
}

/** Scores reviews: one at a time (`classify$`) or a batch of records (`classifyMany$`). */
@Injectable()
export class ReviewsService {
  constructor(
    @Inject(SAGEMAKER_RUNTIME) private readonly client: SageMakerRuntime,
    @Inject(APP_SETTINGS) private readonly settings: AppSettings,
  ) {}

  /** The request for one text. */
  private toInput(text: string): InvokeEndpointInput {
    return { EndpointName: this.settings.reviewsEndpointName, Body: JSON.stringify({ text }), ContentType: 'application/json', Accept: 'application/json' };
  }

  /**
   * Scores one text: a cold Observable that emits the `Sentiment` and completes, or errors with
   * the typed `SageMakerRuntimeError` once retries are spent (Nest's exception filters see it).
   * Each attempt has `attemptTimeoutMs`; throttling, 5xx and timeouts are retried up to 3 attempts.
   */
  classify$(text: string): Observable<Sentiment> {
    return this.client.invokeEndpoint$(this.toInput(text)).pipe(
      timeoutInvocation(this.settings.attemptTimeoutMs), // inside the retry: bounds each attempt
      retryInvocation({ maxAttempts: 3, quota: this.client.retryQuota }),
      output(), // events → the plain output, or the typed error thrown
      map(decodeSentiment),
    );
  }

  /**
   * Scores a batch of records, 4 in flight, in input order: one `InvocationResult` per record,
   * `{ item, output }` or `{ item, error }` — a record that fails does not fail the others.
   */
  classifyMany$(reviews: Iterable<Review>): Observable<InvocationResult<Review>> {
    return from(reviews).pipe(
      invokeEach(this.client, (review) => this.toInput(review.text), {
        concurrency: 4,
        ordered: true,
        retry: { maxAttempts: 3 },
        timeout: this.settings.attemptTimeoutMs,
      }),
    );
  }
}
