import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { retryInvocation, timeoutInvocation } from 'sagemaker-rx';
import { invocationResource } from 'sagemaker-rx/angular';
import { APP_CONFIG } from './app-config';

interface Sentiment {
  label: 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL';
  score: number;
}

/**
 * Type a review, click, see the label. `invocationResource` runs the call when `submitted` changes,
 * cancels the one in flight when it changes again, and aborts it when the component goes away.
 */
@Component({
  selector: 'app-classify',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section>
      <h2>Classify a review</h2>
      <textarea id="review" rows="3" placeholder="Write a review" [value]="draft()" (input)="draft.set($any($event.target).value)"></textarea>
      <button type="button" id="classify" [disabled]="!draft().trim()" (click)="submitted.set(draft())">Classify</button>
      @if (sentiment.isLoading()) {
        <p id="status">Classifying…</p>
      } @else if (sentiment.error(); as error) {
        <p id="error" class="error">{{ error.name }}: {{ error.message }}</p>
      } @else if (sentiment.hasValue()) {
        <p id="result">
          <span id="label" class="label" [class]="sentiment.value().label">{{ sentiment.value().label }}</span>
          <span id="score">({{ sentiment.value().score }})</span>
        </p>
      }
    </section>
  `,
})
export class ClassifyComponent {
  private readonly config = inject(APP_CONFIG);
  readonly draft = signal('');
  readonly submitted = signal<string | undefined>(undefined);
  readonly sentiment = invocationResource<string, Sentiment>({
    params: this.submitted,
    request: (text) => ({
      EndpointName: this.config.reviewsEndpointName,
      Body: JSON.stringify({ text }),
      ContentType: 'application/json',
      Accept: 'application/json',
    }),
    pipe: (events) => events.pipe(timeoutInvocation(10_000), retryInvocation({ maxAttempts: 3 })),
  });
}
