export * from './classification.js';
export * from './sagemaker-runtime-error.js';
export * from './service-errors.js';
export * from './client-errors.js';
