import { REQUEST_MEMBERS } from '../../src/model/index';
import { memberOptions, optionName } from '../../src/cli/args/member-options';

describe('memberOptions (the CLI options that set request members)', () => {
  it('has one option per header member of the model, PrefixAwareId included', () => {
    const options = memberOptions('InvokeEndpoint');
    const headerMembers = Object.entries(REQUEST_MEMBERS.InvokeEndpoint)
      .filter(([, m]) => m.kind !== 'body' && 'header' in m && m.header !== undefined)
      .map(([name]) => name);
    expect(options.map((o) => o.member).sort()).toEqual(headerMembers.sort());
    expect(options.find((o) => o.member === 'PrefixAwareId')?.name).toBe('prefix-aware-id');
  });

  it('spells members the way the AWS CLI spells its options', () => {
    expect(optionName('TargetContainerHostname')).toBe('target-container-hostname');
    expect(optionName('RequestTTLSeconds')).toBe('request-ttl-seconds');
    expect(optionName('S3OutputPathExtension')).toBe('s3-output-path-extension');
  });
});
