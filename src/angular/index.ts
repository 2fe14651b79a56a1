// sagemaker-rx/angular: the Angular integration (optional peers @angular/core and @angular/common).

// Providers and the injectable client
export { provideSageMaker, withHttpClientTransport, withFetchTransport, type SageMakerFeature } from './provide-sagemaker.js';
export { SageMakerClient } from './sagemaker-client.js';
export { SAGEMAKER_CONFIG, SAGEMAKER_TRANSPORT } from './sagemaker-tokens.js';

// Transport over HttpClient
export { createHttpClientTransport, type HttpClientTransportOptions } from './http-client-transport.js';

// Signals
export {
  invocationResource,
  tokenStreamResource,
  parseJsonBody,
  type InvocationResourceOptions,
  type TokenStreamResourceOptions,
  type TokenStreamState,
} from './invocation-resource.js';
