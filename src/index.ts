// sagemaker-rx: the public surface. Explicit sections; each folder's index lists its exports.

// Errors
export * from './errors/index.js';

// Events
export * from './events/index.js';

// Shapes (AWS SDK v3 names)
export * from './protocol/shapes.js';

// Client
export type { SageMakerRuntimeConfig, AwsCredentials, AwsCredentialsProvider } from './client/config.js';
export type { EndpointInvoker } from './client/invoker.js';

// Transport
export type { Transport, TransportRequest, TransportResponse, TransportBody } from './transport/transport.js';

// Operators
export * from './operators/index.js';

// Defaults
export * from './defaults.js';
