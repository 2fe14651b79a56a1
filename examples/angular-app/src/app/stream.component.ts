import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { timeoutInvocation, type InvokeStreamEvent } from 'sagemaker-rx';
import { tokenStreamResource } from 'sagemaker-rx/angular';
import { APP_CONFIG } from './app-config';

/**
 * Ask, and watch the answer appear token by token. Leaving the page (this component destroyed)
 * or asking again aborts the stream in flight: the model stops generating for nobody.
 */
@Component({
  selector: 'app-stream',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section>
      <h2>Generate</h2>
      <input id="prompt" [value]="draft()" (input)="draft.set($any($event.target).value)" />
      <button type="button" id="generate" [disabled]="!draft().trim()" (click)="prompt.set(draft())">Generate</button>
      @if (answer.error(); as error) {
        <p id="stream-error" class="error">{{ error.name }}: {{ error.message }}</p>
      }
      @if (answer.hasValue()) {
        <p id="tokens" class="tokens" [attr.data-tokens]="answer.value().tokens">{{ answer.value().text }}</p>
        <p id="stream-status">{{ answer.value().done ? 'done' : 'streaming' }} — {{ answer.value().tokens }} tokens</p>
      }
    </section>
  `,
})
export class StreamComponent {
  private readonly config = inject(APP_CONFIG);
  readonly draft = signal('Tell me about foxes.');
  readonly prompt = signal<string | undefined>(undefined);
  readonly answer = tokenStreamResource<string>({
    params: this.prompt,
    request: (inputs) => ({
      EndpointName: this.config.generatorEndpointName,
      Body: JSON.stringify({ inputs, parameters: { max_new_tokens: 64 }, stream: true }),
      ContentType: 'application/json',
    }),
    pipe: (events) => events.pipe(timeoutInvocation<InvokeStreamEvent>({ idle: 10_000 })),
  });
}
