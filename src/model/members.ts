/**
 * The members of each operation, once: where each travels on the wire and the rules the model
 * gives it. The client validates and serializes from this table, the emulator validates from
 * it, the CLI derives its member options from it. Adding a member is one line here.
 */
import type { OperationName } from './operations.js';

/** Requests above this are refused (InvokeEndpoint, the streaming operation, and their responses). */
export const MAX_BODY_BYTES = 6_291_456;
/** The largest inline body of InvokeEndpointAsync. */
export const MAX_ASYNC_BODY_BYTES = 128_000;

/**
 * The model's pattern for `EndpointName`, `TargetVariant` and `TargetContainerHostname` (the
 * model writes it without a `$` anchor; the service matches whole values).
 */
export const NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;
const INFERENCE_COMPONENT_PATTERN = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const SESSION_ID_PATTERN = /^(NEW_SESSION)$|^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;
const INPUT_LOCATION_PATTERN = /^(https|s3):\/\/([^/]+)\/?(.*)$/;
const S3_OUTPUT_PATH_EXTENSION_PATTERN = /^(?!s3:|https:)[a-zA-Z0-9!_.*'()/-]+$/;
const FILENAME_PATTERN = /^(?!.*\..*\.)[a-zA-Z0-9][a-zA-Z0-9-_.]*$/;

/** A string member, bound to the URI label (no `header`) or to a header. */
export interface StringMember {
  readonly kind: 'string';
  /** The lower-case header name; absent for the URI label `{EndpointName}`. */
  readonly header?: string;
  readonly required?: boolean;
  /** Minimum length in characters. @default 0 */
  readonly min?: number;
  /** Maximum length in characters. */
  readonly max: number;
  /**
   * `ascii` = printable US-ASCII (the model's `\p{ASCII}*` minus the control characters no HTTP
   * header may carry); `print` = the model's `\A\S[\p{Print}]*\z`.
   */
  readonly charset: 'ascii' | 'print';
  /** The model's pattern, anchored at both ends. */
  readonly pattern?: RegExp;
  /** Values the pattern allows but this operation does not, with the rule to report. */
  readonly forbidden?: Readonly<Record<string, string>>;
  /** Never echoed in messages, redacted in logs. */
  readonly sensitive?: boolean;
  /** What the member is for, in a line (CLI help, docs). */
  readonly doc?: string;
}

/** An integer member, sent as a decimal string in a header. */
export interface IntegerMember {
  readonly kind: 'integer';
  readonly header: string;
  readonly required?: boolean;
  readonly min: number;
  readonly max: number;
  readonly sensitive?: false;
  /** What the member is for, in a line (CLI help, docs). */
  readonly doc?: string;
}

/** The raw payload. */
export interface BodyMember {
  readonly kind: 'body';
  readonly required?: boolean;
  /** Maximum size in bytes, after UTF-8 encoding a string. */
  readonly maxBytes: number;
  readonly sensitive: true;
}

export type Member = StringMember | IntegerMember | BodyMember;

const endpointName: StringMember = { kind: 'string', required: true, max: 63, charset: 'ascii', pattern: NAME_PATTERN };
const ascii1024 = (header: string, sensitive?: true): StringMember => ({ kind: 'string', header, max: 1024, charset: 'ascii', ...(sensitive && { sensitive }) });
const name63 = (header: string): StringMember => ({ kind: 'string', header, max: 63, charset: 'ascii', pattern: NAME_PATTERN });
const print1to64 = (header: string): StringMember => ({ kind: 'string', header, min: 1, max: 64, charset: 'print' });
const inferenceComponent: StringMember = { kind: 'string', header: 'x-amzn-sagemaker-inference-component', max: 63, charset: 'ascii', pattern: INFERENCE_COMPONENT_PATTERN, doc: 'The inference component of the endpoint to call.' };
const realTimeBody: BodyMember = { kind: 'body', required: true, maxBytes: MAX_BODY_BYTES, sensitive: true };

/** The members of each operation, in the order they are validated. */
export const REQUEST_MEMBERS = {
  InvokeEndpoint: {
    EndpointName: endpointName,
    ContentType: { ...ascii1024('content-type'), doc: 'The MIME type of the body.' },
    Accept: { ...ascii1024('accept'), doc: 'The content type wanted back.' },
    CustomAttributes: { ...ascii1024('x-amzn-sagemaker-custom-attributes', true), doc: 'Opaque text passed to the container.' },
    InferenceId: { ...print1to64('x-amzn-sagemaker-inference-id'), doc: 'An id of your own for this inference, for your logs.' },
    Body: realTimeBody,
    TargetModel: { kind: 'string', header: 'x-amzn-sagemaker-target-model', min: 1, max: 1024, charset: 'print', doc: 'The model of a multi-model endpoint to call.' },
    TargetVariant: { ...name63('x-amzn-sagemaker-target-variant'), doc: 'The production variant to call.' },
    TargetContainerHostname: { ...name63('x-amzn-sagemaker-target-container-hostname'), doc: 'The container of a multi-container endpoint to call.' },
    EnableExplanations: { kind: 'string', header: 'x-amzn-sagemaker-enable-explanations', min: 1, max: 64, charset: 'ascii', doc: 'A JMESPath expression that selects the records Clarify explains.' },
    InferenceComponentName: inferenceComponent,
    SessionId: { kind: 'string', header: 'x-amzn-sagemaker-session-id', max: 256, charset: 'ascii', pattern: SESSION_ID_PATTERN, doc: 'A stateful session to use, or NEW_SESSION to open one.' },
    PrefixAwareId: { ...print1to64('x-amzn-sagemaker-prefix-aware-id'), doc: 'A routing hint for endpoints with prefix-aware routing.' },
  },
  InvokeEndpointWithResponseStream: {
    EndpointName: endpointName,
    ContentType: { ...ascii1024('content-type'), doc: 'The MIME type of the body.' },
    Accept: { ...ascii1024('x-amzn-sagemaker-accept'), doc: 'The content type wanted back.' },
    CustomAttributes: { ...ascii1024('x-amzn-sagemaker-custom-attributes', true), doc: 'Opaque text passed to the container.' },
    InferenceId: { ...print1to64('x-amzn-sagemaker-inference-id'), doc: 'An id of your own for this inference, for your logs.' },
    Body: realTimeBody,
    TargetVariant: { ...name63('x-amzn-sagemaker-target-variant'), doc: 'The production variant to call.' },
    TargetContainerHostname: { ...name63('x-amzn-sagemaker-target-container-hostname'), doc: 'The container of a multi-container endpoint to call.' },
    InferenceComponentName: inferenceComponent,
    SessionId: {
      kind: 'string',
      header: 'x-amzn-sagemaker-session-id',
      max: 256,
      charset: 'ascii',
      pattern: NAME_PATTERN,
      forbidden: { NEW_SESSION: 'NEW_SESSION is allowed only on InvokeEndpoint (sessions are opened there)' },
      doc: 'An open stateful session to use.',
    },
    PrefixAwareId: { ...print1to64('x-amzn-sagemaker-prefix-aware-id'), doc: 'A routing hint for endpoints with prefix-aware routing.' },
  },
  InvokeEndpointAsync: {
    EndpointName: endpointName,
    ContentType: { ...ascii1024('x-amzn-sagemaker-content-type'), doc: 'The MIME type of the input.' },
    Accept: { ...ascii1024('x-amzn-sagemaker-accept'), doc: 'The content type wanted back.' },
    CustomAttributes: { ...ascii1024('x-amzn-sagemaker-custom-attributes', true), doc: 'Opaque text passed to the container.' },
    InferenceId: { ...print1to64('x-amzn-sagemaker-inference-id'), doc: 'An id of your own for this inference, for your logs.' },
    Body: { kind: 'body', maxBytes: MAX_ASYNC_BODY_BYTES, sensitive: true },
    InputLocation: { kind: 'string', header: 'x-amzn-sagemaker-inputlocation', min: 1, max: 1024, charset: 'ascii', pattern: INPUT_LOCATION_PATTERN },
    S3OutputPathExtension: { kind: 'string', header: 'x-amzn-sagemaker-s3outputpathextension', min: 1, max: 512, charset: 'ascii', pattern: S3_OUTPUT_PATH_EXTENSION_PATTERN },
    Filename: { kind: 'string', header: 'x-amzn-sagemaker-filename', min: 1, max: 32, charset: 'ascii', pattern: FILENAME_PATTERN },
    RequestTTLSeconds: { kind: 'integer', header: 'x-amzn-sagemaker-requestttlseconds', min: 60, max: 21_600 },
    InvocationTimeoutSeconds: { kind: 'integer', header: 'x-amzn-sagemaker-invocationtimeoutseconds', min: 1, max: 3_600 },
  },
} as const satisfies Record<OperationName, Record<string, Member>>;

/** Rules over several members, checked after each member passed its own. */
export interface CrossMemberRule {
  /** Returns the broken rule, or `undefined`. */
  check(input: Readonly<Record<string, unknown>>): { member: string; rule: string } | undefined;
}

/** `null` is absent, as the AWS SDK treats it. */
export function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

export const CROSS_MEMBER_RULES: Readonly<Record<OperationName, readonly CrossMemberRule[]>> = {
  InvokeEndpoint: [],
  InvokeEndpointWithResponseStream: [],
  InvokeEndpointAsync: [
    {
      check: (input) => {
        const hasBody = isPresent(input.Body);
        const hasLocation = isPresent(input.InputLocation);
        if (hasBody && hasLocation) return { member: 'InputLocation', rule: 'must not be given together with Body (exactly one of Body and InputLocation)' };
        if (!hasBody && !hasLocation) return { member: 'Body', rule: 'is required when InputLocation is not given (exactly one of Body and InputLocation)' };
        return undefined;
      },
    },
  ],
};

/** Header-bound request members of an operation: member name → lower-case header name. */
export type RequestHeaderMap<O extends OperationName> = {
  readonly [K in Exclude<keyof (typeof REQUEST_MEMBERS)[O], 'EndpointName' | 'Body'>]: string;
};

function headerMap<O extends OperationName>(operation: O): RequestHeaderMap<O> {
  const members = REQUEST_MEMBERS[operation] as Readonly<Record<string, Member>>;
  return Object.fromEntries(
    Object.entries(members).flatMap(([name, m]) => (m.kind !== 'body' && m.header !== undefined ? [[name, m.header]] : [])),
  ) as RequestHeaderMap<O>;
}

/** Derived from `REQUEST_MEMBERS`: the header of each header-bound member, per operation. */
export const REQUEST_HEADERS: { readonly [O in OperationName]: RequestHeaderMap<O> } = {
  InvokeEndpoint: headerMap('InvokeEndpoint'),
  InvokeEndpointWithResponseStream: headerMap('InvokeEndpointWithResponseStream'),
  InvokeEndpointAsync: headerMap('InvokeEndpointAsync'),
};

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
