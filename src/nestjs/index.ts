// sagemaker-rx/nestjs: the NestJS integration (optional peers @nestjs/common and @nestjs/core).

// Module and injection
export { SageMakerModule } from './sagemaker.module.js';
export {
  SAGEMAKER_MODULE_OPTIONS,
  type SageMakerModuleOptions,
  type SageMakerModuleExtras,
} from './sagemaker-module-definition.js';
export { InjectSageMaker, getSageMakerToken, DEFAULT_SAGEMAKER_CLIENT_NAME } from './sagemaker-tokens.js';

// Errors → HTTP
export { mapSageMakerError, SAGEMAKER_HTTP_STATUS_BY_NAME, DEFAULT_RETRY_AFTER_SECONDS, type SageMakerHttpError } from './sagemaker-error-mapping.js';
export { SageMakerExceptionFilter } from './sagemaker-exception.filter.js';

// Health
export { SageMakerHealthIndicator, type SageMakerHealthCheckOptions, type SageMakerHealthResult } from './sagemaker-health.indicator.js';
