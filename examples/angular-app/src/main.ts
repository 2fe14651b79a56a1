import { provideHttpClient, withFetch, withInterceptors, type HttpInterceptorFn } from '@angular/common/http';
import { provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { provideSageMaker, withHttpClientTransport } from 'sagemaker-rx/angular';
import { APP_CONFIG, type AppConfig } from './app/app-config';
import { AppComponent } from './app/app.component';

/** Counts the calls that went through HttpClient: the interceptors of the app see SageMaker calls. */
export const countSageMakerCalls: HttpInterceptorFn = (req, next) => {
  if (req.url.endsWith('/invocations')) {
    const w = window as unknown as { sagemakerCalls?: number };
    w.sagemakerCalls = (w.sagemakerCalls ?? 0) + 1;
  }
  return next(req);
};

async function main(): Promise<void> {
  // Runtime configuration: the same build runs against the emulator, a proxy or API Gateway.
  const config = (await (await fetch('config.json')).json()) as AppConfig;
  await bootstrapApplication(AppComponent, {
    providers: [
      provideZonelessChangeDetection(),
      { provide: APP_CONFIG, useValue: config },
      provideHttpClient(withFetch(), withInterceptors([countSageMakerCalls])),
      // Production: credentials: fromCognitoIdentityPool({ identityPoolId, clientConfig: { region } })
      // from @aws-sdk/credential-providers, and endpoint: your proxy's URL. See the README.
      provideSageMaker({ region: config.region, endpoint: config.endpoint, credentials: config.credentials }, withHttpClientTransport()),
    ],
  });
}

main().catch((error: unknown) => console.error(error));
