/**
 * Input and output shapes of the three operations, with the AWS SDK v3 member names, so code
 * moves over from `@aws-sdk/client-sagemaker-runtime` unchanged.
 */
/** Response metadata, in the AWS SDK v3 shape. */
export interface ResponseMetadata {
  /** HTTP status of the response, when one arrived. */
  httpStatusCode?: number;
  /** `x-amzn-RequestId` of the response, when one arrived. */
  requestId?: string;
  /** Attempts made so far, including the one that produced this result: 1 from the client, counted by `retryInvocation`. */
  attempts?: number;
  /** Total time spent waiting between attempts, in ms: 0 from the client, summed by `retryInvocation`. */
  totalRetryDelay?: number;
}

/** What `Body` accepts: a string (sent as UTF-8), bytes, or an ArrayBuffer. */
export type BodyInput = string | Uint8Array | ArrayBuffer | ArrayBufferView;

export interface InvokeEndpointInput {
  /** The endpoint name: at most 63 characters, `^[a-zA-Z0-9](-*[a-zA-Z0-9])*$`. */
  EndpointName: string;
  /** The request body, at most 6,291,456 bytes. */
  Body: BodyInput;
  /** @default 'application/octet-stream' (as the AWS SDK) */
  ContentType?: string;
  Accept?: string;
  CustomAttributes?: string;
  TargetModel?: string;
  TargetVariant?: string;
  TargetContainerHostname?: string;
  InferenceId?: string;
  EnableExplanations?: string;
  InferenceComponentName?: string;
  /** A session id, or `NEW_SESSION` to open a stateful session. */
  SessionId?: string;
  /** A routing hint for endpoints with the `PREFIX_AWARE` routing strategy: 1–64 printable ASCII characters. */
  PrefixAwareId?: string;
}

export interface InvokeEndpointOutput {
  /** The bytes the model returned. */
  Body: Uint8Array;
  ContentType?: string;
  InvokedProductionVariant?: string;
  CustomAttributes?: string;
  NewSessionId?: string;
  ClosedSessionId?: string;
  $metadata: ResponseMetadata;
}

export interface InvokeEndpointWithResponseStreamInput {
  EndpointName: string;
  Body: BodyInput;
  ContentType?: string;
  /** Sent as `X-Amzn-SageMaker-Accept`. */
  Accept?: string;
  CustomAttributes?: string;
  TargetVariant?: string;
  TargetContainerHostname?: string;
  InferenceId?: string;
  InferenceComponentName?: string;
  /** An existing session id; `NEW_SESSION` is not allowed on the streaming operation. */
  SessionId?: string;
  /** A routing hint for endpoints with the `PREFIX_AWARE` routing strategy: 1–64 printable ASCII characters. */
  PrefixAwareId?: string;
}

/** The output members of a response stream, carried by the `headers` event. */
export interface InvokeEndpointWithResponseStreamHeaders {
  /** From `X-Amzn-SageMaker-Content-Type`: the container's MIME type. */
  ContentType?: string;
  InvokedProductionVariant?: string;
  CustomAttributes?: string;
  $metadata: ResponseMetadata;
}

/** The `response` event's output of a response stream: a summary, the bytes came as `chunk` events. */
export interface InvokeEndpointWithResponseStreamSummary extends InvokeEndpointWithResponseStreamHeaders {
  /** Number of `PayloadPart`s received. */
  chunks: number;
  /** Total payload bytes received. */
  bytes: number;
}

export interface InvokeEndpointAsyncInput {
  EndpointName: string;
  /** Inline input, at most 128,000 bytes; exclusive with `InputLocation`. */
  Body?: BodyInput;
  /** Sent as `X-Amzn-SageMaker-Content-Type`. */
  ContentType?: string;
  Accept?: string;
  CustomAttributes?: string;
  InferenceId?: string;
  /** An `s3://` or `https://` URI; exclusive with `Body`. */
  InputLocation?: string;
  S3OutputPathExtension?: string;
  Filename?: string;
  /** 60–21600 seconds. */
  RequestTTLSeconds?: number;
  /** 1–3600 seconds. */
  InvocationTimeoutSeconds?: number;
}

export interface InvokeEndpointAsyncOutput {
  InferenceId?: string;
  OutputLocation?: string;
  FailureLocation?: string;
  $metadata: ResponseMetadata;
}
