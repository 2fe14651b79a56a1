/**
 * `GET /generate?prompt=…` streams a model's tokens to the browser as server-sent events: each
 * token one `token` event as it arrives from `invokeEndpointWithResponseStream$`, then `done` (or
 * `error`, with the typed error's name and request id). When the HTTP client goes away, Nest
 * unsubscribes, and unsubscribing aborts the call to SageMaker: the model stops generating for
 * nobody.
 */
import { BadRequestException, Controller, Inject, Query, Sse, type MessageEvent } from '@nestjs/common';
import { concatMap, EMPTY, of, type Observable } from 'rxjs';
import { textDeltas, timeoutInvocation, type SageMakerRuntime } from '../../src/index.js';
import { InjectSageMaker } from '../../src/nestjs/index.js';
import { APP_SETTINGS, type AppSettings } from './app-settings.js';

/** Longest prompt accepted, in characters. */
const MAX_PROMPT_CHARS = 4_000;

@Controller('generate')
export class GenerateController {
  constructor(
    @InjectSageMaker() private readonly sagemaker: SageMakerRuntime,
    @Inject(APP_SETTINGS) private readonly settings: AppSettings,
  ) {}

  @Sse()
  generate(@Query('prompt') prompt?: string): Observable<MessageEvent> {
    if (typeof prompt !== 'string' || prompt.length === 0) throw new BadRequestException('query prompt is required');
    if (prompt.length > MAX_PROMPT_CHARS) throw new BadRequestException(`query prompt holds ${prompt.length} characters; at most ${MAX_PROMPT_CHARS}`);
    return this.sagemaker
      .invokeEndpointWithResponseStream$({
        EndpointName: this.settings.generatorEndpointName,
        Body: JSON.stringify({ inputs: prompt, stream: true }),
        ContentType: 'application/json',
      })
      .pipe(
        timeoutInvocation({ idle: this.settings.attemptTimeoutMs }), // at most this long between two chunks
        textDeltas(),
        concatMap((e): Observable<MessageEvent> => {
          switch (e.type) {
            case 'text':
              return of({ type: 'token', data: { index: e.index, text: e.text } });
            case 'response':
              return of({ type: 'done', data: { requestId: e.output.$metadata.requestId } });
            case 'error':
              // A failure after HTTP 200 on our side: the stream has started, so it is told in-band.
              return of({ type: 'error', data: { name: e.error.name, message: e.error.message, requestId: e.error.$metadata.requestId } });
            default:
              return EMPTY;
          }
        }),
      );
  }
}
