// sagemaker-rx: the public surface. Explicit sections; each folder's index lists its exports.

// Errors
export * from './errors/index.js';

// Events
export * from './events/index.js';

// Shapes (AWS SDK v3 names)
export * from './protocol/shapes.js';

// Client
export { SageMakerRuntime } from './client/sagemaker-runtime.js';
export type { SageMakerRuntimeConfig, AwsCredentials, AwsCredentialsProvider } from './client/config.js';
export type { EndpointInvoker } from './client/invoker.js';
export type { InvokeOptions } from './client/to-promise.js';
export type { InvokeEndpointWithResponseStreamOutput, ResponseStreamPayloadEvent } from './client/invoke-stream-promise.js';

// Response streams: the error codes of a broken event stream (InternalStreamFailure.code)
export { EVENT_STREAM_ERROR_CODES, type EventStreamErrorCode } from './protocol/event-stream.js';

// Endpoint resolution (reference §1.2)
export { resolveEndpoint, type EndpointParams } from './protocol/endpoints.js';

// Transport
export type { Transport, TransportRequest, TransportResponse, TransportBody } from './transport/transport.js';
export { createUndiciTransport, type UndiciTransportOptions } from './transport/undici-transport.js';
export { createFetchTransport, type FetchTransportOptions } from './transport/fetch-transport.js';

// Operators
export * from './operators/index.js';

// Defaults
export * from './defaults.js';
