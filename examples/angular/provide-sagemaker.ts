/**
 * `provideSageMaker(config)`: the providers of the Angular integration, for
 * `bootstrapApplication(App, { providers: [provideSageMaker({ region: 'eu-west-1', credentials })] })`
 * or a route's `providers`.
 */
import { makeEnvironmentProviders, type EnvironmentProviders } from '@angular/core';
import { createFetchTransport } from '../../src/index.js';
import { SAGEMAKER_CONFIG, type SageMakerConfig } from './sagemaker.config.js';
import { SageMakerService } from './sagemaker.service.js';

/**
 * Provides `SAGEMAKER_CONFIG` and `SageMakerService`. Requests go through the `fetch` transport
 * (`createFetchTransport()`), the one a browser can use, unless `config.transport` names another.
 *
 * The service is listed here as well as `providedIn: 'root'` so that it lives in the injector
 * that holds its configuration: a route that calls `provideSageMaker` with other options gets its
 * own client, destroyed with the route's injector.
 */
export function provideSageMaker(config: SageMakerConfig): EnvironmentProviders {
  return makeEnvironmentProviders([
    // A factory, so each injector gets its own transport (and the client built on it).
    { provide: SAGEMAKER_CONFIG, useFactory: (): SageMakerConfig => ({ ...config, transport: config.transport ?? createFetchTransport() }) },
    SageMakerService,
  ]);
}
