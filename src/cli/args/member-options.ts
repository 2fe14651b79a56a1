/**
 * The options that set request members, derived from the model: every header member of an
 * operation becomes `--kebab-case-name`, so a member added to the model is on the command line
 * without a line here. Only the help words are the CLI's own.
 */
import { REQUEST_MEMBERS, type Member, type OperationName } from '../../model/index.js';
import type { OptionSpec } from './command.js';

/** An option that sets one request member. */
export type MemberOption = OptionSpec & { readonly member: string };

/** Help words per member; a member without a line here gets a description built from the model. */
const HELP: Readonly<Record<string, { value: string; description: string; default?: string }>> = {
  ContentType: { value: 'mime', description: 'ContentType of the body.', default: 'application/octet-stream' },
  Accept: { value: 'mime', description: 'Accept: the content type wanted back.' },
  CustomAttributes: { value: 'text', description: 'CustomAttributes passed to the container.' },
  TargetModel: { value: 'name', description: 'TargetModel of a multi-model endpoint.' },
  TargetVariant: { value: 'name', description: 'TargetVariant: the production variant to call.' },
  TargetContainerHostname: { value: 'name', description: 'TargetContainerHostname of a multi-container endpoint.' },
  InferenceId: { value: 'id', description: 'InferenceId, for your logs.' },
  EnableExplanations: { value: 'expr', description: 'EnableExplanations: a JMESPath expression for Clarify.' },
  InferenceComponentName: { value: 'name', description: 'InferenceComponentName to call.' },
  SessionId: { value: 'id', description: 'SessionId of a stateful session, or NEW_SESSION.' },
  PrefixAwareId: { value: 'id', description: 'PrefixAwareId: requests sharing it are routed to reuse a cached prompt prefix.' },
};

/** `PrefixAwareId` → `prefix-aware-id`. */
export function optionName(member: string): string {
  return member.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2').toLowerCase();
}

function describe(name: string, member: Member): string {
  if (member.kind === 'integer') return `${name} (an integer ${member.min}–${member.max}).`;
  if (member.kind === 'string') return `${name} (up to ${member.max} characters).`;
  return name;
}

/** The member options of `operation`: its header members (not `EndpointName`, not `Body`). */
export function memberOptions(operation: OperationName): MemberOption[] {
  const members = REQUEST_MEMBERS[operation] as Readonly<Record<string, Member>>;
  return Object.entries(members)
    .filter(([, member]) => member.kind !== 'body' && member.header !== undefined)
    .map(([name, member]) => {
      const help = HELP[name];
      return {
        name: optionName(name),
        member: name,
        type: 'string' as const,
        value: help?.value ?? (member.kind === 'integer' ? 'N' : 'value'),
        description: help?.description ?? describe(name, member),
        ...(help?.default !== undefined ? { default: help.default } : {}),
      };
    });
}
