import { Injectable } from '@nestjs/common';
import { firstValueFrom, last } from 'rxjs';
import { isErrorEvent, timeoutInvocation, type InvokeEvent, type SageMakerRuntime } from '../index.js';
import { InjectSageMaker } from './sagemaker-tokens.js';

/** What `SageMakerHealthIndicator.isHealthy` invokes to tell whether an endpoint answers. */
export interface SageMakerHealthCheckOptions {
  /** The endpoint to ping. */
  endpointName: string;
  /** The ping's body: something cheap the model accepts. @default '{}' */
  body?: string;
  /** @default 'application/json' */
  contentType?: string;
  /** Time the endpoint has to answer, in ms. @default 3_000 ms */
  timeoutMs?: number;
}

/** A result in the shape `@nestjs/terminus` reads: `{ [key]: { status: 'up' | 'down', … } }`. */
export type SageMakerHealthResult = Record<
  string,
  {
    status: 'up' | 'down';
    endpointName: string;
    /** The ping's round trip, in ms (up), or the failure (down). */
    durationMs?: number;
    error?: string;
    message?: string;
    requestId?: string;
  }
>;

/** @internal The default ping deadline. */
const DEFAULT_HEALTH_TIMEOUT_MS = 3_000;

/**
 * A health indicator for a SageMaker endpoint: one small invocation with a deadline; `up` when the
 * endpoint answers, `down` (with the error's name, message and request id) when it fails. It
 * returns the result object `@nestjs/terminus` (v11's `HealthIndicatorService` contract) expects
 * and never throws, so it can be listed in `health.check([...])` as is, or used without Terminus.
 * Provided by `SageMakerModule` for the default client; for a named one,
 * `new SageMakerHealthIndicator(client)`.
 *
 * @example
 * ```ts
 * import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
 * import { SageMakerHealthIndicator } from 'sagemaker-rx/nestjs';
 *
 * @Get('health') @HealthCheck()
 * check() {
 *   return this.health.check([() => this.sagemaker.isHealthy('reviews', { endpointName: 'reviews' })]);
 * }
 * ```
 */
@Injectable()
export class SageMakerHealthIndicator {
  constructor(@InjectSageMaker() private readonly client: SageMakerRuntime) {}

  /** Pings `options.endpointName` and reports under `key`. */
  async isHealthy(key: string, options: SageMakerHealthCheckOptions): Promise<SageMakerHealthResult> {
    const { endpointName, body = '{}', contentType = 'application/json', timeoutMs = DEFAULT_HEALTH_TIMEOUT_MS } = options;
    const terminal: InvokeEvent = await firstValueFrom(
      this.client.invokeEndpoint$({ EndpointName: endpointName, Body: body, ContentType: contentType }).pipe(timeoutInvocation(timeoutMs), last()),
    );
    if (isErrorEvent(terminal)) {
      const { error } = terminal;
      return {
        [key]: {
          status: 'down',
          endpointName,
          error: error.name,
          message: error.message,
          ...(error.$metadata.requestId !== undefined ? { requestId: error.$metadata.requestId } : {}),
        },
      };
    }
    return { [key]: { status: 'up', endpointName, durationMs: terminal.type === 'response' ? Math.round(terminal.durationMs) : undefined } };
  }
}
