import { DestroyRef, inject, makeEnvironmentProviders, type EnvironmentProviders, type Provider } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import { createFetchTransport, type FetchTransportOptions, type SageMakerRuntimeConfig } from '../index.js';
import { createHttpClientTransport, type HttpClientTransportOptions } from './http-client-transport.js';
import { SageMakerClient } from './sagemaker-client.js';
import { SAGEMAKER_CONFIG, SAGEMAKER_TRANSPORT } from './sagemaker-tokens.js';

/** A feature of `provideSageMaker`: `withHttpClientTransport()`, `withFetchTransport()`. */
export interface SageMakerFeature {
  readonly kind: 'transport';
  readonly providers: Provider[];
}

/**
 * Sends through Angular's `HttpClient`, so the application's interceptors apply and
 * `HttpTestingController` sees the requests (provide `HttpClient` with `provideHttpClient()`).
 * Response streams go through fetch unless `options.streams` says otherwise (`HttpClient` hands a
 * body over only whole).
 */
export function withHttpClientTransport(options: HttpClientTransportOptions = {}): SageMakerFeature {
  return { kind: 'transport', providers: [{ provide: SAGEMAKER_TRANSPORT, useFactory: () => createHttpClientTransport(inject(HttpClient), options) }] };
}

/** Sends through the browser's `fetch` (the default when no transport feature is given). */
export function withFetchTransport(options: FetchTransportOptions = {}): SageMakerFeature {
  return { kind: 'transport', providers: [{ provide: SAGEMAKER_TRANSPORT, useFactory: () => createFetchTransport(options) }] };
}

/**
 * Provides a `SageMakerClient` configured by `config` (the AWS SDK v3 names: `region`,
 * `credentials`, `endpoint`, …), for `bootstrapApplication(App, { providers: [...] })` or a
 * route's `providers`. The client is built on first injection and destroyed with the injector
 * (the application, or the route). It sends through `fetch` unless a feature or `config.transport`
 * names another transport.
 *
 * In a browser, never ship long-term keys: pass `credentials` as a provider of temporary ones
 * (`fromCognitoIdentityPool` from `@aws-sdk/credential-providers`), and reach SageMaker through a
 * proxy or API Gateway, since AWS serves no CORS for this API.
 *
 * @example
 * ```ts
 * import { provideHttpClient, withFetch } from '@angular/common/http';
 * import { provideSageMaker, withHttpClientTransport } from 'sagemaker-rx/angular';
 *
 * bootstrapApplication(App, {
 *   providers: [
 *     provideHttpClient(withFetch()),
 *     provideSageMaker({ region: 'eu-west-1', endpoint: '/sagemaker', credentials }, withHttpClientTransport()),
 *   ],
 * });
 * ```
 */
export function provideSageMaker(config: SageMakerRuntimeConfig, ...features: SageMakerFeature[]): EnvironmentProviders {
  const transportFeatures = features.filter((f) => f.kind === 'transport');
  if (transportFeatures.length > 1) throw new TypeError('provideSageMaker: give at most one transport feature (withHttpClientTransport or withFetchTransport)');
  const transportProviders: Provider[] = transportFeatures[0]?.providers ?? [
    // A factory, so each injector gets its own transport.
    { provide: SAGEMAKER_TRANSPORT, useFactory: () => config.transport ?? createFetchTransport() },
  ];
  return makeEnvironmentProviders([
    { provide: SAGEMAKER_CONFIG, useValue: config },
    ...transportProviders,
    {
      provide: SageMakerClient,
      useFactory: () => {
        const client = new SageMakerClient({ ...inject(SAGEMAKER_CONFIG), transport: inject(SAGEMAKER_TRANSPORT) });
        // The injector that holds the config is going away: close the client with it.
        inject(DestroyRef).onDestroy(() => void client.destroy());
        return client;
      },
    },
  ]);
}
