/**
 * Input validation before any I/O, driven by the model's member table. The first broken rule
 * becomes an `InvalidRequestError` naming the member and the rule; a sensitive member's value
 * (`Body`, `CustomAttributes`) is never echoed.
 */
import { InvalidRequestError } from '../errors/client-errors.js';
import { CROSS_MEMBER_RULES, REQUEST_MEMBERS, isPresent, type Member, type OperationName } from '../model/index.js';
import { bodyByteLength, isBodyInput } from './body.js';

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
  const rules: Readonly<Record<string, Member>> = REQUEST_MEMBERS[operation];
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

function checkMember(member: string, rule: Member, value: unknown): InvalidRequestError | undefined {
  if (!isPresent(value)) return rule.required ? fail(member, RULES.required) : undefined;
  switch (rule.kind) {
    case 'body': {
      if (!isBodyInput(value)) return fail(member, RULES.body, `got ${describeType(value)}`);
      const size = bodyByteLength(value);
      if (size > rule.maxBytes) return fail(member, RULES.maxBytes(rule.maxBytes), `got ${size} bytes`);
      return undefined;
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < rule.min || value > rule.max) {
        return fail(member, RULES.integer(rule.min, rule.max), `got ${typeof value === 'number' ? String(value) : describeType(value)}`);
      }
      return undefined;
    }
    case 'string': {
      if (typeof value !== 'string') return fail(member, RULES.string, `got ${describeType(value)}`);
      // The echo of a bad value is built only for a failure.
      const echo = () => (rule.sensitive ? undefined : `got ${quote(value)}`);
      if (rule.min !== undefined && value.length < rule.min) return fail(member, RULES.min(rule.min), echo());
      if (value.length > rule.max) return fail(member, RULES.max(rule.max), `got ${value.length} characters`);
      if (rule.charset === 'print' ? !PRINT.test(value) : !ASCII_PRINTABLE.test(value)) {
        return fail(member, rule.charset === 'print' ? RULES.print : RULES.ascii, echo());
      }
      if (rule.forbidden && Object.hasOwn(rule.forbidden, value)) return fail(member, rule.forbidden[value]!, echo());
      if (rule.pattern && !rule.pattern.test(value)) return fail(member, RULES.pattern(rule.pattern), echo());
      return undefined;
    }
  }
}

function fail(member: string, rule: string, detail?: string): InvalidRequestError {
  return new InvalidRequestError({ member, rule, message: `${member}: ${rule}${detail === undefined ? '' : ` (${detail})`}` });
}

function quote(value: string): string {
  const shown = value.length > ECHO_LIMIT ? `${value.slice(0, ECHO_LIMIT)}…` : value;
  return JSON.stringify(shown);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  try {
    if (Array.isArray(value)) return 'an array';
    if (typeof value === 'object') {
      const name: unknown = (value as object).constructor?.name;
      return typeof name === 'string' && name !== '' ? name : 'an object';
    }
  } catch {
    return 'an object'; // a Proxy whose traps throw, a throwing `constructor` getter
  }
  return typeof value;
}
