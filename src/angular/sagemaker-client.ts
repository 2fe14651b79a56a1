import { SageMakerRuntime, type SageMakerRuntimeConfig } from '../index.js';

/**
 * The injectable SageMaker Runtime client of an Angular application: a `SageMakerRuntime`
 * (`invokeEndpoint$`, `invokeEndpointWithResponseStream$`, `invokeEndpointAsync$` and the Promise
 * twins) built by `provideSageMaker(config)` in the environment injector that holds the config, and
 * destroyed with it. Every call is a cold Observable: the `async` pipe, `toSignal` or a resource
 * subscribes, and unsubscribing (a component destroyed) aborts the request.
 *
 * @example
 * ```ts
 * import { inject } from '@angular/core';
 * import { output } from 'sagemaker-rx';
 * import { SageMakerClient } from 'sagemaker-rx/angular';
 *
 * const client = inject(SageMakerClient);
 * client.invokeEndpoint$({ EndpointName: 'reviews', Body: '{"text":"Great"}', ContentType: 'application/json' }).pipe(output());
 * ```
 */
export class SageMakerClient extends SageMakerRuntime {
  /** Built by `provideSageMaker`; construct it yourself only outside Angular's injector. */
  constructor(config: SageMakerRuntimeConfig) {
    super(config);
  }
}
