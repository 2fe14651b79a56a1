/**
 * `SageMakerModule`: a Nest dynamic module that provides one `SageMakerRuntime` client under the
 * `SAGEMAKER_RUNTIME` token and destroys it (closing its pooled connections) when the module is
 * destroyed, i.e. on `app.close()`.
 *
 * ```ts
 * @Module({ imports: [SageMakerModule.forRoot({ region: 'eu-west-1' })], providers: [ReviewsService] })
 * export class AppModule {}
 * ```
 *
 * esbuild and tsx emit no decorator metadata, so every constructor parameter names its token with
 * `@Inject(…)`; that also works with `tsc` and `emitDecoratorMetadata`.
 */
import { Inject, Module, type DynamicModule, type InjectionToken, type ModuleMetadata, type OnModuleDestroy, type OptionalFactoryDependency, type Provider } from '@nestjs/common';
import { SageMakerRuntime, type SageMakerRuntimeConfig } from '../../src/index.js';
import { SAGEMAKER_MODULE_OPTIONS, SAGEMAKER_RUNTIME } from './sagemaker.constants.js';

/** Options of `SageMakerModule.forRootAsync`: a factory for the client's configuration, with its dependencies. */
export interface SageMakerModuleAsyncOptions {
  /** Modules whose exported providers `inject` names (a config module, say). @default [] */
  imports?: ModuleMetadata['imports'];
  /** The tokens whose values are passed to `useFactory`, in order. @default [] */
  inject?: Array<InjectionToken | OptionalFactoryDependency>;
  /** Builds the client's configuration; may be async (credentials or a region fetched at start-up). */
  useFactory: (...args: any[]) => SageMakerRuntimeConfig | Promise<SageMakerRuntimeConfig>;
  /** Register the module globally, so feature modules inject `SAGEMAKER_RUNTIME` without importing it. @default false */
  isGlobal?: boolean;
}

/** Options of `SageMakerModule.forRoot` besides the client's configuration. */
export interface SageMakerModuleOptions {
  /** Register the module globally, so feature modules inject `SAGEMAKER_RUNTIME` without importing it. @default false */
  isGlobal?: boolean;
}

// One client per module instance, built from the options token. Constructing it reads the
// configuration only (no credentials lookup, no socket); a missing region throws an
// InvalidRequestError here, so the application fails at start-up rather than at the first call.
const clientProvider: Provider = {
  provide: SAGEMAKER_RUNTIME,
  useFactory: (config: SageMakerRuntimeConfig) => new SageMakerRuntime(config),
  inject: [SAGEMAKER_MODULE_OPTIONS],
};

/**
 * Provides a `SageMakerRuntime` under `SAGEMAKER_RUNTIME` and destroys it on module destroy.
 * Import it once, with `forRoot(config)` when the configuration is known up front or
 * `forRootAsync({ inject, useFactory })` when it comes from other providers.
 */
@Module({})
export class SageMakerModule implements OnModuleDestroy {
  constructor(@Inject(SAGEMAKER_RUNTIME) private readonly client: SageMakerRuntime) {}

  /** Provides a client built from `config` (the AWS SDK v3 option names: `region`, `credentials`, `endpoint`, …). */
  static forRoot(config: SageMakerRuntimeConfig = {}, options: SageMakerModuleOptions = {}): DynamicModule {
    return {
      module: SageMakerModule,
      global: options.isGlobal ?? false,
      providers: [{ provide: SAGEMAKER_MODULE_OPTIONS, useValue: config }, clientProvider],
      exports: [SAGEMAKER_RUNTIME, SAGEMAKER_MODULE_OPTIONS],
    };
  }

  /** Provides a client whose configuration `options.useFactory` builds from the providers named in `options.inject`. */
  static forRootAsync(options: SageMakerModuleAsyncOptions): DynamicModule {
    return {
      module: SageMakerModule,
      global: options.isGlobal ?? false,
      imports: options.imports ?? [],
      providers: [{ provide: SAGEMAKER_MODULE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] }, clientProvider],
      exports: [SAGEMAKER_RUNTIME, SAGEMAKER_MODULE_OPTIONS],
    };
  }

  /** Closes the client's pooled connections; requests still in flight fail with a `NetworkError`. */
  async onModuleDestroy(): Promise<void> {
    await this.client.destroy();
  }
}
