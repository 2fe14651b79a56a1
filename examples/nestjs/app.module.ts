/**
 * The example application: the settings, the `SageMakerModule` configured from them with
 * `forRootAsync`, and the `ReviewsService` that uses its client.
 */
import { Module, type DynamicModule } from '@nestjs/common';
import { SageMakerModule } from './sagemaker.module.js';
import { ReviewsService } from './reviews.service.js';
import { APP_SETTINGS, SettingsModule, type AppSettings } from './settings.module.js';

/** The root module, built for the given settings. */
@Module({})
export class AppModule {
  /** The root module with `settings` registered and a SageMaker client configured from them. */
  static register(settings: AppSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        SettingsModule.register(settings),
        SageMakerModule.forRootAsync({
          inject: [APP_SETTINGS],
          useFactory: (s: AppSettings) => ({ region: s.region, endpoint: s.endpoint, credentials: s.credentials }),
        }),
      ],
      providers: [ReviewsService],
      exports: [ReviewsService],
    };
  }
}
