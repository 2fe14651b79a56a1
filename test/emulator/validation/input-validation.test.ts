// The emulator's input validation and header stripping follow the model's members: every
// header-bound member is checked by its own limits and reaches the container; nothing else does.
import { REQUEST_MEMBERS, type Member, type OperationName } from '../../../src/model/index.js';
import { apiHeaders } from '../../../src/emulator/validation/api-headers.js';
import { validateInput } from '../../../src/emulator/validation/input-validation.js';

const OPERATIONS = Object.keys(REQUEST_MEMBERS) as OperationName[];
const membersOf = (operation: OperationName) => Object.entries(REQUEST_MEMBERS[operation] as Readonly<Record<string, Member>>);
const valid = (operation: OperationName, headers: Record<string, string> = {}) => validateInput({ operation, endpointName: 'ep', headers, bodyLength: 1 });

describe.each(OPERATIONS)('%s', (operation) => {
  const headerMembers = membersOf(operation).filter((entry): entry is [string, Exclude<Member, { kind: 'body' }> & { header: string }] => entry[1].kind !== 'body' && entry[1].header !== undefined);

  it.each(headerMembers.filter(([, m]) => m.kind === 'string').map(([name, m]) => [name, m] as const))('refuses %s one character over its maximum, naming it as coral does', (name, member) => {
    const value = 'a'.repeat((member as { max: number }).max + 1);
    const message = valid(operation, { [member.header]: value });
    const coral = name.charAt(0).toLowerCase() + name.slice(1);
    expect(message).toContain(`at '${coral}' failed to satisfy constraint: Member must have length less than or equal to ${(member as { max: number }).max}`);
    if (member.sensitive) expect(message).not.toContain(value);
  });

  for (const [name, member] of headerMembers.filter(([, m]) => m.kind === 'integer')) it(`refuses ${name} outside its range`, () => {
    const m = member as { min: number; max: number };
    expect(valid(operation, { [member.header]: String(m.max + 1) })).toContain(`Member must have value less than or equal to ${m.max}`);
    expect(valid(operation, { [member.header]: String(m.min - 1) })).toContain(`Member must have value greater than or equal to ${m.min}`);
    expect(valid(operation, { [member.header]: 'ten' })).toContain(`at '${name.charAt(0).toLowerCase() + name.slice(1)}' failed to satisfy constraint: Member must be an integer`);
  });

  it('lets each of its API headers reach the container, and no other header', () => {
    const headers: Record<string, string> = { 'user-agent': 'x', 'x-amz-date': '20260101T000000Z', authorization: 'AWS4…', 'amz-sdk-request': 'attempt=1', 'x-my-header': 'y', 'accept-encoding': 'gzip', 'x-amzn-sagemaker-not-a-member': 'z' };
    for (const [, member] of headerMembers) headers[member.header] = 'v';
    const expected = Object.fromEntries(headerMembers.map(([, m]) => [m.header, 'v']));
    expect(apiHeaders(operation, headers)).toEqual(expected);
  });
});

it('accepts PrefixAwareId on the real-time operations and checks it as the model says (1 to 64 printable characters)', () => {
  for (const operation of ['InvokeEndpoint', 'InvokeEndpointWithResponseStream'] as const) {
    expect(valid(operation, { 'x-amzn-sagemaker-prefix-aware-id': 'user-42/conversation' })).toBeUndefined();
    expect(valid(operation, { 'x-amzn-sagemaker-prefix-aware-id': '' })).toContain("at 'prefixAwareId' failed to satisfy constraint: Member must have length greater than or equal to 1");
    expect(valid(operation, { 'x-amzn-sagemaker-prefix-aware-id': ' leading' })).toContain('Member must satisfy regular expression pattern: \\A\\S[\\p{Print}]*\\z');
  }
});

it('counts every violation of a request', () => {
  const message = valid('InvokeEndpoint', { 'content-type': 'x'.repeat(1_025), 'x-amzn-sagemaker-target-variant': 'bad_name' });
  expect(message).toMatch(/^2 validation errors detected: /);
  expect(message).toContain("at 'targetVariant' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9])*");
});

it('checks the body against the operation limit without quoting it', () => {
  expect(validateInput({ operation: 'InvokeEndpointAsync', endpointName: 'ep', headers: {}, bodyLength: 128_001 })).toBe(
    "1 validation error detected: Value at 'body' failed to satisfy constraint: Member must have length less than or equal to 128000",
  );
  expect(validateInput({ operation: 'InvokeEndpoint', endpointName: 'ep', headers: {}, bodyLength: 128_001 })).toBeUndefined();
});
