/**
 * Input validation before any I/O (reference §1.3, §1.5, §1.7, §4): one table of rules per
 * operation and member. The first broken rule becomes an `InvalidRequestError` naming the
 * member and the rule; a sensitive member's value (`Body`, `CustomAttributes`) is never echoed.
 */
import { InvalidRequestError } from '../errors/client-errors.js';
import { bodyByteLength, isBodyInput } from './body.js';
import { MAX_ASYNC_BODY_BYTES, MAX_BODY_BYTES, NAME_PATTERN, type OperationName } from './wire.js';

/** A string member bound to the URI or a header. */
export interface StringMemberRule {
  readonly kind: 'string';
  readonly required?: boolean;
  /** Minimum length in characters. @default 0 */
  readonly min?: number;
  /** Maximum length in characters. */
  readonly max: number;
  /**
   * The character class every header value must satisfy: `ascii` = printable US-ASCII (the
   * model's `\p{ASCII}*`, minus the control characters no HTTP header may carry); `print` =
   * the model's `\A\S[\p{Print}]*\z` (printable ASCII, first character not a space).
   */
  readonly charset: 'ascii' | 'print';
  /** A pattern from the model, anchored at both ends. */
  readonly pattern?: RegExp;
  /** Values the pattern allows but this operation does not, with the rule to report. */
  readonly forbidden?: Readonly<Record<string, string>>;
  /** Never echo the value in a message. */
  readonly sensitive?: boolean;
}

/** An integer member sent as a decimal string. */
export interface IntegerMemberRule {
  readonly kind: 'integer';
  readonly required?: boolean;
  readonly min: number;
  readonly max: number;
}

/** The raw payload. */
export interface BodyMemberRule {
  readonly kind: 'body';
  readonly required?: boolean;
  /** Maximum size in bytes, after UTF-8 encoding a string. */
  readonly maxBytes: number;
  readonly sensitive: true;
}

export type MemberRule = StringMemberRule | IntegerMemberRule | BodyMemberRule;

/** A rule over several members, checked after each member passed its own rules. */
export interface CrossMemberRule {
  /** Returns the broken rule, or `undefined`. */
  check(input: Readonly<Record<string, unknown>>): { member: string; rule: string } | undefined;
}

const INFERENCE_COMPONENT_PATTERN = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const SESSION_ID_PATTERN = /^(NEW_SESSION)$|^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;
const INPUT_LOCATION_PATTERN = /^(https|s3):\/\/([^/]+)\/?(.*)$/;
const S3_OUTPUT_PATH_EXTENSION_PATTERN = /^(?!s3:|https:)[a-zA-Z0-9!_.*'()/-]+$/;
const FILENAME_PATTERN = /^(?!.*\..*\.)[a-zA-Z0-9][a-zA-Z0-9-_.]*$/;

const ascii1024: StringMemberRule = { kind: 'string', max: 1024, charset: 'ascii' };
const name63: StringMemberRule = { kind: 'string', max: 63, charset: 'ascii', pattern: NAME_PATTERN };
const print1to64: StringMemberRule = { kind: 'string', min: 1, max: 64, charset: 'print' };

const COMMON: Readonly<Record<string, MemberRule>> = {
  EndpointName: { ...name63, required: true },
  ContentType: ascii1024,
  Accept: ascii1024,
  CustomAttributes: { ...ascii1024, sensitive: true },
  InferenceId: print1to64,
};

/** The members of each operation and their rules, in the order they are checked. */
export const MEMBER_RULES: Readonly<Record<OperationName, Readonly<Record<string, MemberRule>>>> = {
  InvokeEndpoint: {
    ...COMMON,
    Body: { kind: 'body', required: true, maxBytes: MAX_BODY_BYTES, sensitive: true },
    TargetModel: { kind: 'string', min: 1, max: 1024, charset: 'print' },
    TargetVariant: name63,
    TargetContainerHostname: name63,
    EnableExplanations: { kind: 'string', min: 1, max: 64, charset: 'ascii' },
    InferenceComponentName: { kind: 'string', max: 63, charset: 'ascii', pattern: INFERENCE_COMPONENT_PATTERN },
    SessionId: { kind: 'string', max: 256, charset: 'ascii', pattern: SESSION_ID_PATTERN },
    PrefixAwareId: print1to64,
  },
  InvokeEndpointWithResponseStream: {
    ...COMMON,
    Body: { kind: 'body', required: true, maxBytes: MAX_BODY_BYTES, sensitive: true },
    TargetVariant: name63,
    TargetContainerHostname: name63,
    InferenceComponentName: { kind: 'string', max: 63, charset: 'ascii', pattern: INFERENCE_COMPONENT_PATTERN },
    SessionId: {
      kind: 'string',
      max: 256,
      charset: 'ascii',
      pattern: NAME_PATTERN,
      forbidden: { NEW_SESSION: 'NEW_SESSION is allowed only on InvokeEndpoint (sessions are opened there)' },
    },
    PrefixAwareId: print1to64,
  },
  InvokeEndpointAsync: {
    ...COMMON,
    Body: { kind: 'body', maxBytes: MAX_ASYNC_BODY_BYTES, sensitive: true },
    InputLocation: { kind: 'string', min: 1, max: 1024, charset: 'ascii', pattern: INPUT_LOCATION_PATTERN },
    S3OutputPathExtension: { kind: 'string', min: 1, max: 512, charset: 'ascii', pattern: S3_OUTPUT_PATH_EXTENSION_PATTERN },
    Filename: { kind: 'string', min: 1, max: 32, charset: 'ascii', pattern: FILENAME_PATTERN },
    RequestTTLSeconds: { kind: 'integer', min: 60, max: 21_600 },
    InvocationTimeoutSeconds: { kind: 'integer', min: 1, max: 3_600 },
  },
};

/** Rules over several members, per operation. */
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

/** Rule texts, so tests and docs read the same words. */
export const RULES = {
  required: 'is required',
  object: 'must be an object',
  string: 'must be a string',
  integer: (min: number, max: number) => `must be an integer from ${min} to ${max}`,
  body: 'must be a string, Uint8Array, Buffer, ArrayBuffer or ArrayBufferView',
  min: (min: number) => `must be at least ${min} character${min === 1 ? '' : 's'}`,
  max: (max: number) => `must be at most ${max} characters`,
  maxBytes: (max: number) => `must be at most ${max} bytes`,
  ascii: 'must be printable US-ASCII (space, tab, 0x21-0x7E)',
  print: 'must start with a non-space character and contain only printable US-ASCII',
  pattern: (p: RegExp) => `must match ${p.source}`,
  unknown: (operation: OperationName) => `is not a member of ${operation}`,
} as const;

// Printable US-ASCII plus tab: what an HTTP header value may carry.
const ASCII_PRINTABLE = /^[\t\x20-\x7e]*$/;
// `\A\S[\p{Print}]*\z` in Java's default (ASCII) dialect.
const PRINT = /^[\x21-\x7e][\x20-\x7e]*$/;
const ECHO_LIMIT = 80;

/**
 * Validates an operation's input against the rule table. Returns the first broken rule as an
 * `InvalidRequestError`, or `undefined` when the input may be sent.
 *
 * @example
 * ```ts
 * validateInput('InvokeEndpoint', { EndpointName: 'bad_name', Body: '{}' })?.message;
 * // 'EndpointName: must match ^[a-zA-Z0-9](-*[a-zA-Z0-9])*$ (got "bad_name")'
 * ```
 */
export function validateInput(operation: OperationName, input: unknown): InvalidRequestError | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return new InvalidRequestError({ member: 'input', rule: RULES.object, message: `input: ${RULES.object} (got ${describeType(input)})` });
  }
  const record = input as Readonly<Record<string, unknown>>;
  const rules = MEMBER_RULES[operation];
  for (const key of Object.keys(record)) {
    if (!Object.hasOwn(rules, key) && isPresent(record[key])) return fail(key, RULES.unknown(operation));
  }
  for (const [member, rule] of Object.entries(rules)) {
    const error = checkMember(member, rule, record[member]);
    if (error) return error;
  }
  for (const cross of CROSS_MEMBER_RULES[operation]) {
    const broken = cross.check(record);
    if (broken) return fail(broken.member, broken.rule);
  }
  return undefined;
}

function checkMember(member: string, rule: MemberRule, value: unknown): InvalidRequestError | undefined {
  if (!isPresent(value)) return rule.required ? fail(member, RULES.required) : undefined;
  switch (rule.kind) {
    case 'body': {
      if (!isBodyInput(value)) return fail(member, RULES.body, `got ${describeType(value)}`);
      const size = bodyByteLength(value);
      if (size > rule.maxBytes) return fail(member, RULES.maxBytes(rule.maxBytes), `got ${size} bytes`);
      return undefined;
    }
    case 'integer': {
      const text = RULES.integer(rule.min, rule.max);
      if (typeof value !== 'number' || !Number.isInteger(value) || value < rule.min || value > rule.max) {
        return fail(member, text, `got ${typeof value === 'number' ? String(value) : describeType(value)}`);
      }
      return undefined;
    }
    case 'string': {
      if (typeof value !== 'string') return fail(member, RULES.string, `got ${describeType(value)}`);
      const echo = rule.sensitive ? undefined : `got ${quote(value)}`;
      if (rule.min !== undefined && value.length < rule.min) return fail(member, RULES.min(rule.min), echo);
      if (value.length > rule.max) return fail(member, RULES.max(rule.max), `got ${value.length} characters`);
      if (rule.charset === 'print' ? !PRINT.test(value) : !ASCII_PRINTABLE.test(value)) {
        return fail(member, rule.charset === 'print' ? RULES.print : RULES.ascii, echo);
      }
      if (rule.forbidden && Object.hasOwn(rule.forbidden, value)) return fail(member, rule.forbidden[value]!, echo);
      if (rule.pattern && !rule.pattern.test(value)) return fail(member, RULES.pattern(rule.pattern), echo);
      return undefined;
    }
  }
}

function fail(member: string, rule: string, detail?: string): InvalidRequestError {
  return new InvalidRequestError({ member, rule, message: `${member}: ${rule}${detail === undefined ? '' : ` (${detail})`}` });
}

/** `null` is treated as absent, as the AWS SDK does. */
function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function quote(value: string): string {
  const shown = value.length > ECHO_LIMIT ? `${value.slice(0, ECHO_LIMIT)}…` : value;
  return JSON.stringify(shown);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return typeof value;
}
