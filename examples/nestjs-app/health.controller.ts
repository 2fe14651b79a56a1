/**
 * `GET /health`: the SageMaker endpoints this app depends on, checked by `SageMakerHealthIndicator`,
 * answered in `@nestjs/terminus`'s shape (`status`, `info`, `error`, `details`) with 503 when one is
 * down. With Terminus installed, pass the same indicator calls to `HealthCheckService.check([...])`.
 */
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { SageMakerHealthIndicator, type SageMakerHealthResult } from '../../src/nestjs/index.js';
import { APP_SETTINGS, type AppSettings } from './app-settings.js';

interface HttpResponse {
  status(code: number): unknown;
}

@Controller('health')
export class HealthController {
  constructor(
    @Inject(SageMakerHealthIndicator) private readonly sagemaker: SageMakerHealthIndicator,
    @Inject(APP_SETTINGS) private readonly settings: AppSettings,
  ) {}

  @Get()
  async check(@Res({ passthrough: true }) res: HttpResponse): Promise<{ status: 'ok' | 'error'; info: SageMakerHealthResult; error: SageMakerHealthResult; details: SageMakerHealthResult }> {
    const results = await Promise.all([
      this.sagemaker.isHealthy('reviews', { endpointName: this.settings.reviewsEndpointName, body: JSON.stringify({ text: 'ping' }), timeoutMs: 2_000 }),
    ]);
    const details: SageMakerHealthResult = Object.assign({}, ...results);
    const info = Object.fromEntries(Object.entries(details).filter(([, r]) => r.status === 'up'));
    const error = Object.fromEntries(Object.entries(details).filter(([, r]) => r.status === 'down'));
    const down = Object.keys(error).length > 0;
    res.status(down ? 503 : 200);
    return { status: down ? 'error' : 'ok', info, error, details };
  }
}
