/**
 * The injection tokens of the Angular integration. Plain `InjectionToken`s and factory providers,
 * no decorators: this package is compiled by `tsc`, not the Angular compiler, and an undecorated
 * design needs neither the JIT compiler nor a partial compilation step in the application.
 */
import { InjectionToken } from '@angular/core';
import type { SageMakerRuntimeConfig, Transport } from '../index.js';

/** The client's configuration as `provideSageMaker(config)` received it. */
export const SAGEMAKER_CONFIG = new InjectionToken<SageMakerRuntimeConfig>('SAGEMAKER_CONFIG');

/**
 * The transport the client sends through: set by `withHttpClientTransport()` or
 * `withFetchTransport()`; when neither is given, the config's `transport`, else `fetch`.
 */
export const SAGEMAKER_TRANSPORT = new InjectionToken<Transport>('SAGEMAKER_TRANSPORT');
