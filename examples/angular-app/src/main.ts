import { provideHttpClient, withFetch, withInterceptors, type HttpInterceptorFn } from '@angular/common/http';
import { provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { createFetchTransport } from 'sagemaker-rx';
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

/**
 * Sends calls signed for `service` to `proxyPath` on the page's origin instead: HttpClient calls
 * through an interceptor, response streams (which go through fetch) through a fetch of their own.
 */
function viaProxy(service: string, proxyPath: string) {
  const rewrite = (url: string) => (url.startsWith(service) ? proxyPath + url.slice(service.length) : url);
  const interceptor: HttpInterceptorFn = (req, next) => next(req.clone({ url: rewrite(req.url) }));
  const streams = createFetchTransport({ fetch: (url, init) => fetch(rewrite(String(url)), init) });
  return { interceptor, streams };
}

async function main(): Promise<void> {
  // Runtime configuration: the same build runs against the emulator, a proxy or API Gateway.
  const config = (await (await fetch('config.json')).json()) as AppConfig;
  const service = config.endpoint ?? `https://runtime.sagemaker.${config.region}.amazonaws.com`;
  const proxy = config.proxyPath !== undefined ? viaProxy(service, config.proxyPath) : undefined;
  await bootstrapApplication(AppComponent, {
    providers: [
      provideZonelessChangeDetection(),
      { provide: APP_CONFIG, useValue: config },
      provideHttpClient(withFetch(), withInterceptors([countSageMakerCalls, ...(proxy ? [proxy.interceptor] : [])])),
      // Production: no endpoint (the regional one is signed for), proxyPath set to a forwarding proxy
      // on this origin, and credentials: fromCognitoIdentityPool({ identityPoolId, clientConfig: { region } })
      // from @aws-sdk/credential-providers, never long-term keys. See docs/angular.md.
      provideSageMaker(
        { region: config.region, endpoint: config.endpoint, credentials: config.credentials },
        withHttpClientTransport(proxy ? { streams: proxy.streams } : {}),
      ),
    ],
  });
}

main().catch((error: unknown) => console.error(error));
