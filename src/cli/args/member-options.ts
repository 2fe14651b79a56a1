/**
 * The options that set request members, derived from the model: every header member of an
 * operation becomes `--kebab-case-name` with the model's own line as its help, so a member added
 * to the model is on the command line without a line here.
 */
import { DEFAULT_CONTENT_TYPE, REQUEST_MEMBERS, type Member, type OperationName } from '../../model/index.js';
import type { OptionSpec } from './command.js';

/** An option that sets one request member. */
export type MemberOption = OptionSpec & { readonly member: string };

/** The placeholder shown after an option, by member kind. */
const VALUE_LABEL = { string: 'value', integer: 'N' } as const;

/** `PrefixAwareId` → `prefix-aware-id`. */
export function optionName(member: string): string {
  return member.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2').toLowerCase();
}

/** The member's own line from the model, with its name and limits. */
function describe(name: string, member: Exclude<Member, { kind: 'body' }>): string {
  const limits = member.kind === 'integer' ? `an integer ${member.min}–${member.max}` : `up to ${member.max} characters`;
  return member.doc === undefined ? `${name} (${limits}).` : `${member.doc.replace(/\.$/, '')} (${name}, ${limits}).`;
}

/** The member options of `operation`: its header members (not `EndpointName`, not `Body`). */
export function memberOptions(operation: OperationName): MemberOption[] {
  const members = REQUEST_MEMBERS[operation] as Readonly<Record<string, Member>>;
  return Object.entries(members)
    .flatMap(([name, member]) => {
      if (member.kind === 'body' || member.header === undefined) return [];
      return [
        {
          name: optionName(name),
          member: name,
          type: 'string' as const,
          value: VALUE_LABEL[member.kind],
          description: describe(name, member),
          // what the client sends for a body without ContentType
          ...(member.header === 'content-type' ? { default: DEFAULT_CONTENT_TYPE } : {}),
        },
      ];
    });
}
