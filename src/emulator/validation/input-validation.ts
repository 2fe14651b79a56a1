/**
 * The service's input validation, driven by the model's members (`REQUEST_MEMBERS`: header,
 * limits, pattern, charset) and answered with AWS's coral wording: `1 validation error detected:
 * Value 'x' at 'member' failed to satisfy constraint: Member must …`. Patterns are checked in
 * JavaScript's dialect of the model's.
 */
import { NAME_PATTERN, REQUEST_MEMBERS, type Member, type OperationName } from '../../model/index.js';

/** What validation reads of a request. */
export interface ValidatedRequest {
  operation: OperationName;
  endpointName: string;
  headers: Record<string, string>;
  /** The body length that counts (0 when the async body is the SDK's `{}` placeholder). */
  bodyLength: number;
}

/** Each charset as a pattern, and as the service prints it. */
const CHARSETS = {
  // A header value cannot carry control characters anyway: checking printable ASCII is the same rule.
  ascii: { pattern: /^[\x20-\x7e\t]*$/, text: '\\p{ASCII}*' },
  // Java's \p{Print} (the service's dialect) is printable US-ASCII.
  print: { pattern: /^[\x21-\x7e][\x20-\x7e]*$/, text: '\\A\\S[\\p{Print}]*\\z' },
} as const;

/** The member as coral names it: camelCase (`TargetModel` → `targetModel`, `S3OutputPathExtension` → `s3OutputPathExtension`). */
function coralName(member: string): string {
  return member.charAt(0).toLowerCase() + member.slice(1);
}

/** A pattern as the service prints it: the model writes the name pattern without its `$`. */
function patternText(pattern: RegExp): string {
  return pattern === NAME_PATTERN ? pattern.source.replace(/\$$/, '') : pattern.source;
}

/** A member with its coral name, worked out once per operation rather than per request. */
interface CheckedMember {
  readonly member: Member;
  readonly coral: string;
}

const CHECKED: Readonly<Record<OperationName, readonly CheckedMember[]>> = {
  InvokeEndpoint: checkedMembers('InvokeEndpoint'),
  InvokeEndpointWithResponseStream: checkedMembers('InvokeEndpointWithResponseStream'),
  InvokeEndpointAsync: checkedMembers('InvokeEndpointAsync'),
};

function checkedMembers(operation: OperationName): CheckedMember[] {
  const members = REQUEST_MEMBERS[operation] as Readonly<Record<string, Member>>;
  return Object.entries(members).map(([name, member]) => ({ member, coral: coralName(name) }));
}

/** Adds the member's broken rules to `out`. */
function violations({ member, coral }: CheckedMember, req: ValidatedRequest, out: string[]): void {
  if (member.kind === 'body') {
    if (req.bodyLength > member.maxBytes) out.push(`Value at '${coral}' failed to satisfy constraint: Member must have length less than or equal to ${member.maxBytes}`);
    return;
  }
  const value = member.kind === 'string' && member.header === undefined ? req.endpointName : req.headers[member.header!];
  if (value === undefined) return;
  const must = (rule: string) => {
    const at = member.sensitive ? `Value at '${coral}'` : `Value '${value}' at '${coral}'`;
    out.push(`${at} failed to satisfy constraint: Member must ${rule}`);
  };
  if (member.kind === 'integer') {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n)) must('be an integer');
    else if (n < member.min) must(`have value greater than or equal to ${member.min}`);
    else if (n > member.max) must(`have value less than or equal to ${member.max}`);
    return;
  }
  if (member.min !== undefined && value.length < member.min) must(`have length greater than or equal to ${member.min}`);
  if (value.length > member.max) must(`have length less than or equal to ${member.max}`);
  const charset = CHARSETS[member.charset];
  if (value.length > 0 && !charset.pattern.test(value)) must(`satisfy regular expression pattern: ${charset.text}`);
  else if (member.pattern && !member.pattern.test(value)) must(`satisfy regular expression pattern: ${patternText(member.pattern)}`);
}

/** The `ValidationError` message for the request, or undefined when it is valid. */
export function validateInput(req: ValidatedRequest): string | undefined {
  const found: string[] = [];
  for (const checked of CHECKED[req.operation]) violations(checked, req, found);
  if (found.length === 0) return undefined;
  return `${found.length} validation error${found.length === 1 ? '' : 's'} detected: ${found.join('; ')}`;
}
