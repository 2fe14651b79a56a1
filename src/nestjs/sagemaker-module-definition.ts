/**
 * The `SageMakerModule`'s `forRoot`/`forRootAsync` pair, built by Nest's `ConfigurableModuleBuilder`:
 * options are the client's configuration (the AWS SDK v3 names), extras choose the client's name
 * and whether the module is global.
 */
import { ConfigurableModuleBuilder, type Provider } from '@nestjs/common';
import { SageMakerRuntime, type SageMakerRuntimeConfig } from '../index.js';
import { SageMakerHealthIndicator } from './sagemaker-health.indicator.js';
import { DEFAULT_SAGEMAKER_CLIENT_NAME, getSageMakerToken } from './sagemaker-tokens.js';

/** What `forRoot` takes, and what `forRootAsync`'s `useFactory` returns: the client's configuration. */
export type SageMakerModuleOptions = SageMakerRuntimeConfig;

/** Options of `forRoot`/`forRootAsync` beside the client's configuration. */
export interface SageMakerModuleExtras {
  /** Register the module globally, so feature modules inject the client without importing it. @default false */
  isGlobal?: boolean;
  /** The client's name, for `@InjectSageMaker(name)`; several named clients can live side by side. @default 'default' */
  name?: string;
}

// Ends the client with the module: Nest calls onModuleDestroy on every provider instance that has
// it, on app.close() (and on a signal once app.enableShutdownHooks() is on). Destroying closes the
// pooled connections; calls in flight and later ones end with a ClientDestroyedError event.
function clientLifecycleProvider(token: string): Provider {
  return {
    provide: `${token}:lifecycle`,
    useFactory: (client: SageMakerRuntime) => ({ onModuleDestroy: () => client.destroy() }),
    inject: [token],
  };
}

/**
 * The token of the configuration the module was given (by `forRoot`, or as `forRootAsync`'s factory
 * made it). Each `forRoot`/`forRootAsync` import is its own module instance, so named clients each
 * see their own.
 */
export const SAGEMAKER_MODULE_OPTIONS = 'SAGEMAKER_MODULE_OPTIONS';

export const {
  ConfigurableModuleClass: SageMakerConfigurableModule,
  OPTIONS_TYPE: SAGEMAKER_MODULE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: SAGEMAKER_MODULE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SageMakerModuleOptions>({ moduleName: 'SageMaker', optionsInjectionToken: SAGEMAKER_MODULE_OPTIONS })
  .setClassMethodName('forRoot')
  .setExtras<SageMakerModuleExtras>({ isGlobal: false, name: DEFAULT_SAGEMAKER_CLIENT_NAME }, (definition, extras) => {
    const token = getSageMakerToken(extras.name);
    // One client per module instance; constructing it reads the configuration only (no
    // credentials lookup, no socket), and a missing region fails the application at start-up.
    const client: Provider = {
      provide: token,
      useFactory: (options: SageMakerModuleOptions) => new SageMakerRuntime(stripExtras(options)),
      inject: [SAGEMAKER_MODULE_OPTIONS],
    };
    // The health indicator injects the default client; a named client's is built by hand.
    const health: Provider[] = token === getSageMakerToken() ? [SageMakerHealthIndicator] : [];
    return {
      ...definition,
      global: extras.isGlobal ?? false,
      providers: [...(definition.providers ?? []), client, clientLifecycleProvider(token), ...health],
      exports: [...(definition.exports ?? []), token, SAGEMAKER_MODULE_OPTIONS, ...health],
    };
  })
  .build();

/** `forRoot({ isGlobal, name, ...config })` passes the extras inside the options: keep them out of the client. */
function stripExtras(options: SageMakerModuleOptions & SageMakerModuleExtras): SageMakerRuntimeConfig {
  const { isGlobal: _global, name: _name, ...config } = options;
  return config;
}
