/**
 * Wire facts of the SageMaker Runtime API (reference §0–§1): paths, header names, limits.
 * The client's serializer and the emulator both read these tables.
 */

export const SIGNING_SERVICE = 'sagemaker';
export const API_VERSION = '2017-05-13';

export type OperationName = 'InvokeEndpoint' | 'InvokeEndpointWithResponseStream' | 'InvokeEndpointAsync';

/** The path suffix after `/endpoints/{EndpointName}/`, and the success status. */
export const OPERATIONS: Readonly<Record<OperationName, { suffix: string; successStatus: number }>> = {
  InvokeEndpoint: { suffix: 'invocations', successStatus: 200 },
  InvokeEndpointWithResponseStream: { suffix: 'invocations-response-stream', successStatus: 200 },
  InvokeEndpointAsync: { suffix: 'async-invocations', successStatus: 202 },
};

/** Request members bound to headers, per operation (lower-case names, as the AWS SDK sends them). */
export const REQUEST_HEADERS = {
  InvokeEndpoint: {
    ContentType: 'content-type',
    Accept: 'accept',
    CustomAttributes: 'x-amzn-sagemaker-custom-attributes',
    TargetModel: 'x-amzn-sagemaker-target-model',
    TargetVariant: 'x-amzn-sagemaker-target-variant',
    TargetContainerHostname: 'x-amzn-sagemaker-target-container-hostname',
    InferenceId: 'x-amzn-sagemaker-inference-id',
    EnableExplanations: 'x-amzn-sagemaker-enable-explanations',
    InferenceComponentName: 'x-amzn-sagemaker-inference-component',
    SessionId: 'x-amzn-sagemaker-session-id',
    PrefixAwareId: 'x-amzn-sagemaker-prefix-aware-id',
  },
  InvokeEndpointWithResponseStream: {
    ContentType: 'content-type',
    Accept: 'x-amzn-sagemaker-accept',
    CustomAttributes: 'x-amzn-sagemaker-custom-attributes',
    TargetVariant: 'x-amzn-sagemaker-target-variant',
    TargetContainerHostname: 'x-amzn-sagemaker-target-container-hostname',
    InferenceId: 'x-amzn-sagemaker-inference-id',
    InferenceComponentName: 'x-amzn-sagemaker-inference-component',
    SessionId: 'x-amzn-sagemaker-session-id',
    PrefixAwareId: 'x-amzn-sagemaker-prefix-aware-id',
  },
  InvokeEndpointAsync: {
    ContentType: 'x-amzn-sagemaker-content-type',
    Accept: 'x-amzn-sagemaker-accept',
    CustomAttributes: 'x-amzn-sagemaker-custom-attributes',
    InferenceId: 'x-amzn-sagemaker-inference-id',
    InputLocation: 'x-amzn-sagemaker-inputlocation',
    S3OutputPathExtension: 'x-amzn-sagemaker-s3outputpathextension',
    Filename: 'x-amzn-sagemaker-filename',
    RequestTTLSeconds: 'x-amzn-sagemaker-requestttlseconds',
    InvocationTimeoutSeconds: 'x-amzn-sagemaker-invocationtimeoutseconds',
  },
} as const satisfies Record<OperationName, Record<string, string>>;

/** Response members bound to headers, per operation (lower-case names). */
export const RESPONSE_HEADERS = {
  InvokeEndpoint: {
    ContentType: 'content-type',
    InvokedProductionVariant: 'x-amzn-invoked-production-variant',
    CustomAttributes: 'x-amzn-sagemaker-custom-attributes',
    NewSessionId: 'x-amzn-sagemaker-new-session-id',
    ClosedSessionId: 'x-amzn-sagemaker-closed-session-id',
  },
  InvokeEndpointWithResponseStream: {
    ContentType: 'x-amzn-sagemaker-content-type',
    InvokedProductionVariant: 'x-amzn-invoked-production-variant',
    CustomAttributes: 'x-amzn-sagemaker-custom-attributes',
  },
  InvokeEndpointAsync: {
    OutputLocation: 'x-amzn-sagemaker-outputlocation',
    FailureLocation: 'x-amzn-sagemaker-failurelocation',
  },
} as const satisfies Record<OperationName, Record<string, string>>;

/** Response metadata headers. */
export const REQUEST_ID_HEADERS = ['x-amzn-requestid', 'x-amzn-request-id', 'x-amz-request-id'] as const;
export const ERROR_TYPE_HEADER = 'x-amzn-errortype';
export const RETRY_AFTER_HEADERS = { retryAfter: 'retry-after', amzRetryAfterMs: 'x-amz-retry-after' } as const;

/** The HTTP content type the AWS SDK sends for a blob payload when `ContentType` is not given. */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

/**
 * The model's pattern for `EndpointName`, `TargetVariant`, `TargetContainerHostname` and
 * `SessionId` (reference §1.3; the model has no `$` anchor, the service matches whole values).
 */
export const NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;

/** Limits (reference §4). */
export const MAX_BODY_BYTES = 6_291_456;
export const MAX_ASYNC_BODY_BYTES = 128_000;

/** Headers whose values never leave the client in events or messages. */
export const REDACTED_HEADERS: ReadonlySet<string> = new Set(['authorization', 'x-amz-security-token']);
export const REDACTED = '[redacted]';

/** `/endpoints/{EndpointName}/{suffix}`, the label escaped as the AWS SDK does (`extendedEncodeURIComponent`). */
export function operationPath(operation: OperationName, endpointName: string): string {
  const label = encodeURIComponent(endpointName).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `/endpoints/${label}/${OPERATIONS[operation].suffix}`;
}
