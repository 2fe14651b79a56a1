/**
 * `SageMakerService`: an Angular service around one `SageMakerRuntime`. `score$(text)` is a cold
 * Observable for the `async` pipe or `toSignal`; unsubscribing (the component destroyed) aborts
 * the request. The service's state (`pending`, `busy`, `lastScore`, `lastError`) is in signals,
 * and the client is destroyed with the injector that created the service.
 *
 * ```ts
 * @Component({ template: `{{ score()?.label }}` })
 * export class ReviewCard {
 *   readonly text = input.required<string>();
 *   private readonly sagemaker = inject(SageMakerService);
 *   readonly score = toSignal(toObservable(this.text).pipe(switchMap((t) => this.sagemaker.score$(t))));
 * }
 * ```
 */
import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { defer, finalize, map, tap, type Observable } from 'rxjs';
import {
  isSageMakerRuntimeError,
  output,
  retryInvocation,
  SageMakerRuntime,
  timeoutInvocation,
  type InvokeEndpointOutput,
  type SageMakerRuntimeError,
} from '../../src/index.js';
import { SAGEMAKER_CONFIG } from './sagemaker.config.js';

/** What the sentiment endpoint answers for one text. */
export interface Score {
  label: 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL';
  /** Confidence in the label, 0..1. */
  score: number;
}

const DEFAULT_ENDPOINT_NAME = 'sentiment';
const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_ATTEMPTS = 3;

// TextDecoder, not Buffer: this file is meant for the browser too.
const utf8 = new TextDecoder();

/** Reads the model's JSON answer. */
function decodeScore(out: InvokeEndpointOutput): Score {
  return JSON.parse(utf8.decode(out.Body)) as Score;
}

/**
 * Scores texts with a SageMaker sentiment endpoint. Provided in root; `provideSageMaker(config)`
 * sets its configuration (and also provides it where that configuration is, see there).
 */
@Injectable({ providedIn: 'root' })
export class SageMakerService {
  private readonly config = inject(SAGEMAKER_CONFIG);
  private readonly pendingCount = signal(0);
  private readonly latest = signal<Score | undefined>(undefined);
  private readonly failure = signal<SageMakerRuntimeError | undefined>(undefined);

  /** The client; one per service instance, destroyed with its injector. */
  readonly client: SageMakerRuntime;
  /** Subscriptions of `score$` still waiting for their answer. */
  readonly pending = this.pendingCount.asReadonly();
  /** True while any `score$` is waiting. */
  readonly busy = computed(() => this.pendingCount() > 0);
  /** The last score answered, by any `score$`. */
  readonly lastScore = this.latest.asReadonly();
  /** The error of the last `score$` that failed; cleared by the next answer. */
  readonly lastError = this.failure.asReadonly();

  constructor() {
    const { endpointName: _name, attemptTimeoutMs: _timeout, maxAttempts: _attempts, ...clientConfig } = this.config;
    this.client = new SageMakerRuntime(clientConfig);
    // The injector that created the service is going away: close the client's connections.
    inject(DestroyRef).onDestroy(() => void this.client.destroy());
  }

  /**
   * Scores one text. Cold: nothing is sent until subscription (the `async` pipe, `toSignal`); each
   * subscription is one call, retried on throttling, 5xx and timeouts. Emits the `Score` and
   * completes, or errors with the typed `SageMakerRuntimeError`. Unsubscribing aborts the request.
   */
  score$(text: string): Observable<Score> {
    const {
      endpointName = DEFAULT_ENDPOINT_NAME,
      attemptTimeoutMs = DEFAULT_ATTEMPT_TIMEOUT_MS,
      maxAttempts = DEFAULT_MAX_ATTEMPTS,
    } = this.config;
    return defer(() => {
      this.pendingCount.update((n) => n + 1);
      return this.client
        .invokeEndpoint$({ EndpointName: endpointName, Body: JSON.stringify({ text }), ContentType: 'application/json', Accept: 'application/json' })
        .pipe(
          timeoutInvocation(attemptTimeoutMs), // each attempt
          retryInvocation({ maxAttempts, quota: this.client.retryQuota }),
          output(), // events → the plain output, or the typed error thrown
          map(decodeScore),
          tap({
            next: (score) => {
              this.latest.set(score);
              this.failure.set(undefined);
            },
            error: (error: unknown) => {
              if (isSageMakerRuntimeError(error)) this.failure.set(error);
            },
          }),
          finalize(() => this.pendingCount.update((n) => n - 1)), // answered, failed or unsubscribed
        );
    });
  }
}
