/**
 * The application: settings, the SageMaker client from `SageMakerModule.forRootAsync` (global, so
 * every controller injects it), the controllers, and `SageMakerExceptionFilter` for every route.
 */
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { SageMakerExceptionFilter, SageMakerModule } from '../../src/nestjs/index.js';
import { APP_SETTINGS, type AppSettings } from './app-settings.js';
import { GenerateController } from './generate.controller.js';
import { HealthController } from './health.controller.js';
import { ReviewsController } from './reviews.controller.js';

@Module({})
export class SettingsModule {
  static register(settings: AppSettings): DynamicModule {
    return { module: SettingsModule, global: true, providers: [{ provide: APP_SETTINGS, useValue: settings }], exports: [APP_SETTINGS] };
  }
}

@Module({})
export class AppModule {
  /** The root module for `settings`. */
  static register(settings: AppSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SettingsModule.register(settings),
        SageMakerModule.forRootAsync({
          isGlobal: true,
          inject: [APP_SETTINGS],
          useFactory: (s: AppSettings) => ({ region: s.region, endpoint: s.endpoint, credentials: s.credentials }),
        }),
      ],
      controllers: [ReviewsController, GenerateController, HealthController],
      providers: [{ provide: APP_FILTER, useClass: SageMakerExceptionFilter }],
    };
  }
}
