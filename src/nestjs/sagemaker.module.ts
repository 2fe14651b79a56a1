import { Module } from '@nestjs/common';
import { SageMakerConfigurableModule } from './sagemaker-module-definition.js';

/**
 * Provides a `SageMakerRuntime` to a Nest application and destroys it (closing its pooled
 * connections) when the application closes.
 *
 * - `SageMakerModule.forRoot({ region, credentials, endpoint, …, isGlobal?, name? })` when the
 *   configuration is known up front;
 * - `SageMakerModule.forRootAsync({ imports, inject, useFactory, isGlobal?, name? })` (or
 *   `useClass`/`useExisting` of a `ConfigurableModuleOptionsFactory`) when it comes from other providers.
 *
 * Inject the client with `@InjectSageMaker()` (or `@InjectSageMaker(name)` for a named one).
 *
 * @example
 * ```ts
 * import { Module } from '@nestjs/common';
 * import { SageMakerModule } from 'sagemaker-rx/nestjs';
 *
 * @Module({
 *   imports: [
 *     SageMakerModule.forRootAsync({
 *       isGlobal: true,
 *       inject: [ConfigService],
 *       useFactory: (config: ConfigService) => ({ region: config.getOrThrow('AWS_REGION') }),
 *     }),
 *   ],
 *   controllers: [ReviewsController],
 * })
 * export class AppModule {}
 * ```
 */
@Module({})
export class SageMakerModule extends SageMakerConfigurableModule {}
