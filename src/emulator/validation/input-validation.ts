/**
 * The service's input validation (reference §1.3, §1.5, §1.7, §4), answered with AWS's
 * coral wording: `1 validation error detected: Value 'x' at 'member' failed to satisfy
 * constraint: Member must …`. Patterns are checked leniently (JavaScript dialect).
 */
import { MAX_ASYNC_BODY_BYTES, MAX_BODY_BYTES, NAME_PATTERN, REQUEST_HEADERS, type OperationName } from '../../model/index.js';

/** One constraint of one member. */
interface Constraint {
  /** The member as coral names it (camelCase). */
  member: string;
  operations: readonly OperationName[];
  /** Where the value is: a header (lower-case), the endpoint label or the body. */
  from: { header: string } | 'label' | 'body';
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  /** The pattern as the service prints it. */
  patternText?: string;
  min?: number;
  max?: number;
  /** Sensitive members are not quoted in messages. */
  sensitive?: boolean;
}

const ALL: readonly OperationName[] = ['InvokeEndpoint', 'InvokeEndpointWithResponseStream', 'InvokeEndpointAsync'];
const SYNC: readonly OperationName[] = ['InvokeEndpoint', 'InvokeEndpointWithResponseStream'];
const NAME_RULE = { pattern: NAME_PATTERN, patternText: '^[a-zA-Z0-9](-*[a-zA-Z0-9])*' };
/** `ContentType`, `Accept` and `CustomAttributes`: at most 1,024 ASCII characters (reference §1.3). */
const ASCII_1024 = { maxLength: 1024, pattern: /^[\x00-\x7f]*$/, patternText: '\\p{ASCII}*' };
const H = REQUEST_HEADERS;

/** The constraints the emulator enforces. */
export const CONSTRAINTS: readonly Constraint[] = [
  { member: 'endpointName', operations: ALL, from: 'label', maxLength: 63, ...NAME_RULE },
  { member: 'body', operations: SYNC, from: 'body', maxLength: MAX_BODY_BYTES, sensitive: true },
  { member: 'body', operations: ['InvokeEndpointAsync'], from: 'body', maxLength: MAX_ASYNC_BODY_BYTES, sensitive: true },
  { member: 'contentType', operations: SYNC, from: { header: H.InvokeEndpoint.ContentType }, ...ASCII_1024 },
  { member: 'contentType', operations: ['InvokeEndpointAsync'], from: { header: H.InvokeEndpointAsync.ContentType }, ...ASCII_1024 },
  { member: 'accept', operations: ['InvokeEndpoint'], from: { header: H.InvokeEndpoint.Accept }, ...ASCII_1024 },
  { member: 'accept', operations: ['InvokeEndpointWithResponseStream', 'InvokeEndpointAsync'], from: { header: H.InvokeEndpointAsync.Accept }, ...ASCII_1024 },
  { member: 'customAttributes', operations: ALL, from: { header: H.InvokeEndpoint.CustomAttributes }, ...ASCII_1024, sensitive: true },
  { member: 'enableExplanations', operations: ['InvokeEndpoint'], from: { header: H.InvokeEndpoint.EnableExplanations }, minLength: 1, maxLength: 64 },
  { member: 'targetVariant', operations: SYNC, from: { header: H.InvokeEndpoint.TargetVariant }, maxLength: 63, ...NAME_RULE },
  { member: 'targetContainerHostname', operations: SYNC, from: { header: H.InvokeEndpoint.TargetContainerHostname }, maxLength: 63, ...NAME_RULE },
  { member: 'inferenceId', operations: ALL, from: { header: H.InvokeEndpoint.InferenceId }, minLength: 1, maxLength: 64 },
  {
    member: 'prefixAwareId',
    operations: SYNC,
    from: { header: H.InvokeEndpoint.PrefixAwareId },
    minLength: 1,
    maxLength: 64,
    pattern: /^\S[\x20-\x7e\u00a0-\uffff]*$/,
    patternText: '\\A\\S[\\p{Print}]*\\z',
  },
  { member: 'targetModel', operations: ['InvokeEndpoint'], from: { header: H.InvokeEndpoint.TargetModel }, minLength: 1, maxLength: 1024 },
  {
    member: 'inferenceComponentName',
    operations: SYNC,
    from: { header: H.InvokeEndpoint.InferenceComponentName },
    maxLength: 63,
    pattern: /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/,
    patternText: '^[a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?$',
  },
  {
    member: 'sessionId',
    operations: ['InvokeEndpoint'],
    from: { header: H.InvokeEndpoint.SessionId },
    maxLength: 256,
    pattern: /^(NEW_SESSION)$|^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/,
    patternText: '^(NEW_SESSION)$|^[a-zA-Z0-9](-*[a-zA-Z0-9])*$',
  },
  { member: 'sessionId', operations: ['InvokeEndpointWithResponseStream'], from: { header: H.InvokeEndpoint.SessionId }, maxLength: 256, ...NAME_RULE },
  {
    member: 'inputLocation',
    operations: ['InvokeEndpointAsync'],
    from: { header: H.InvokeEndpointAsync.InputLocation },
    minLength: 1,
    maxLength: 1024,
    pattern: /^(https|s3):\/\/([^/]+)\/?(.*)$/,
    patternText: '^(https|s3)://([^/]+)/?(.*)$',
  },
  { member: 'requestTTLSeconds', operations: ['InvokeEndpointAsync'], from: { header: H.InvokeEndpointAsync.RequestTTLSeconds }, min: 60, max: 21_600 },
  { member: 'invocationTimeoutSeconds', operations: ['InvokeEndpointAsync'], from: { header: H.InvokeEndpointAsync.InvocationTimeoutSeconds }, min: 1, max: 3_600 },
  {
    member: 'filename',
    operations: ['InvokeEndpointAsync'],
    from: { header: H.InvokeEndpointAsync.Filename },
    minLength: 1,
    maxLength: 32,
    pattern: /^(?!.*\..*\.)[a-zA-Z0-9][a-zA-Z0-9-_.]*$/,
    patternText: '^(?!.*\\..*\\.)[a-zA-Z0-9][a-zA-Z0-9-_\\.]*$',
  },
  {
    member: 's3OutputPathExtension',
    operations: ['InvokeEndpointAsync'],
    from: { header: H.InvokeEndpointAsync.S3OutputPathExtension },
    minLength: 1,
    maxLength: 512,
    pattern: /^(?!s3:|https:)[a-zA-Z0-9!_.*'()/-]+$/,
    patternText: "^(?!s3:|https:)[a-zA-Z0-9!_.*'()/-]+$",
  },
];

/** What validation reads of a request. */
export interface ValidatedRequest {
  operation: OperationName;
  endpointName: string;
  headers: Record<string, string>;
  /** The body length that counts (0 when the async body is the SDK's `{}` placeholder). */
  bodyLength: number;
}

function violations(c: Constraint, req: ValidatedRequest): string[] {
  const value = c.from === 'label' ? req.endpointName : c.from === 'body' ? undefined : req.headers[c.from.header];
  const length = c.from === 'body' ? req.bodyLength : value?.length;
  if (c.from !== 'body' && value === undefined) return [];
  const at = c.sensitive || value === undefined ? `Value at '${c.member}'` : `Value '${value}' at '${c.member}'`;
  const out: string[] = [];
  const must = (rule: string) => out.push(`${at} failed to satisfy constraint: Member must ${rule}`);
  if (c.minLength !== undefined && length !== undefined && length < c.minLength) must(`have length greater than or equal to ${c.minLength}`);
  if (c.maxLength !== undefined && length !== undefined && length > c.maxLength) must(`have length less than or equal to ${c.maxLength}`);
  if (c.pattern && value !== undefined && !c.pattern.test(value)) must(`satisfy regular expression pattern: ${c.patternText}`);
  if (c.min !== undefined || c.max !== undefined) {
    const n = value === undefined ? NaN : Number(value);
    if (!Number.isInteger(n)) must('be an integer');
    else if (c.min !== undefined && n < c.min) must(`have value greater than or equal to ${c.min}`);
    else if (c.max !== undefined && n > c.max) must(`have value less than or equal to ${c.max}`);
  }
  return out;
}

/** The `ValidationError` message for the request, or undefined when it is valid. */
export function validateInput(req: ValidatedRequest): string | undefined {
  const found = CONSTRAINTS.filter((c) => c.operations.includes(req.operation)).flatMap((c) => violations(c, req));
  if (found.length === 0) return undefined;
  return `${found.length} validation error${found.length === 1 ? '' : 's'} detected: ${found.join('; ')}`;
}
