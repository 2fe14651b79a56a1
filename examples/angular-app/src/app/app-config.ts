import { InjectionToken } from '@angular/core';
import type { AwsCredentials } from 'sagemaker-rx';

/**
 * What the page reads from `/config.json` at start-up, so one build runs against any endpoint.
 *
 * In production `endpoint` is your proxy or API Gateway (AWS serves no CORS for SageMaker Runtime)
 * and there are no `credentials` here: the page gets temporary ones from a Cognito identity pool
 * (`identityPoolId`). Static keys are only for the local emulator.
 */
export interface AppConfig {
  region: string;
  endpoint?: string;
  /** The emulator's keys, for local runs only. Never long-term AWS keys in a browser. */
  credentials?: AwsCredentials;
  /** A Cognito identity pool id ('eu-west-1:…') for temporary, least-privilege credentials. */
  identityPoolId?: string;
  /**
   * A path on the page's own origin (`/sagemaker`) that forwards requests unchanged to `endpoint`
   * (or the regional SageMaker endpoint). Calls are still signed for the service; only where they
   * are sent changes. The production setup, since AWS serves no CORS for SageMaker Runtime.
   */
  proxyPath?: string;
  reviewsEndpointName: string;
  generatorEndpointName: string;
}

export const APP_CONFIG = new InjectionToken<AppConfig>('APP_CONFIG');
