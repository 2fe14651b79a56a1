/**
 * The application's settings, as a global module: it stands in for `@nestjs/config`'s
 * `ConfigModule`/`ConfigService`, so `SageMakerModule.forRootAsync` can show the usual
 * `inject: [SETTINGS]` factory without another dependency.
 */
import { Module, type DynamicModule } from '@nestjs/common';
import type { AwsCredentials } from '../../src/index.js';

/** What the application reads from its environment. */
export interface AppSettings {
  /** The AWS region the client signs for. */
  region: string;
  /** A custom endpoint URL (here: the embedded emulator's); omit it for AWS. */
  endpoint?: string;
  /** Static credentials (here: the emulator's); omit them for the default provider chain. */
  credentials?: AwsCredentials;
  /** The SageMaker endpoint that scores reviews. */
  reviewsEndpointName: string;
  /** Deadline of one attempt, in ms. */
  attemptTimeoutMs: number;
}

/** The token of the `AppSettings`. */
export const APP_SETTINGS = Symbol('APP_SETTINGS');

/** Provides `APP_SETTINGS` to every module (it is global). */
@Module({})
export class SettingsModule {
  /** Registers the settings. */
  static register(settings: AppSettings): DynamicModule {
    return { module: SettingsModule, global: true, providers: [{ provide: APP_SETTINGS, useValue: settings }], exports: [APP_SETTINGS] };
  }
}
