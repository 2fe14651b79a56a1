import { InvalidRequestError } from '../../src/errors/client-errors';
import { RULES, validateInput } from '../../src/protocol/validate';
import { REQUEST_MEMBERS } from '../../src/model/index';
import type { OperationName } from '../../src/model/index';

const valid: Record<OperationName, Record<string, unknown>> = {
  InvokeEndpoint: {
    EndpointName: 'my-endpoint-1',
    Body: '{"x":1}',
    ContentType: 'application/json',
    Accept: 'application/json',
    CustomAttributes: 'trace=1; c000_model=x',
    TargetModel: 'model-a.tar.gz',
    TargetVariant: 'variant-1',
    TargetContainerHostname: 'container-1',
    InferenceId: 'inference 42',
    EnableExplanations: '`true`',
    InferenceComponentName: 'ic-1',
    SessionId: 'NEW_SESSION',
    PrefixAwareId: 'user-123',
  },
  InvokeEndpointWithResponseStream: {
    EndpointName: 'stream-ep',
    Body: new Uint8Array([1, 2, 3]),
    ContentType: 'application/json',
    Accept: 'text/event-stream',
    CustomAttributes: 'a=b',
    TargetVariant: 'v1',
    TargetContainerHostname: 'c1',
    InferenceId: 'id-1',
    InferenceComponentName: 'ic-2',
    SessionId: 'sess-1',
    PrefixAwareId: 'p',
  },
  InvokeEndpointAsync: {
    EndpointName: 'async-ep',
    InputLocation: 's3://bucket/key.json',
    ContentType: 'application/json',
    Accept: 'application/json',
    CustomAttributes: 'x',
    InferenceId: 'id-2',
    S3OutputPathExtension: 'runs/2026/out',
    Filename: 'result.json',
    RequestTTLSeconds: 60,
    InvocationTimeoutSeconds: 3600,
  },
};

function expectInvalid(operation: OperationName, patch: Record<string, unknown>, member: string, rule: string): InvalidRequestError {
  const error = validateInput(operation, { ...valid[operation], ...patch });
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect(error!.name).toBe('InvalidRequestError');
  expect({ member: error!.member, rule: error!.rule }).toEqual({ member, rule });
  expect(error!.message.startsWith(`${member}: ${rule}`)).toBe(true);
  expect(error!.retryable).toBe(false);
  return error!;
}

describe('validateInput', () => {
  it.each(Object.keys(valid) as OperationName[])('accepts a %s input that uses every member', (operation) => {
    expect(validateInput(operation, valid[operation])).toBeUndefined();
    // The fixtures use every member of the table, so every rule was exercised on a valid value.
    // (The async fixture uses InputLocation; Body, its exclusive alternative, is covered below.)
    const used = Object.keys(valid[operation]).concat(operation === 'InvokeEndpointAsync' ? ['Body'] : []);
    expect(used.sort()).toEqual(Object.keys(REQUEST_MEMBERS[operation]).sort());
  });

  it('rejects a non-object input', () => {
    for (const input of [undefined, null, 'x', 42, []]) {
      const error = validateInput('InvokeEndpoint', input);
      expect(error?.member).toBe('input');
      expect(error?.rule).toBe(RULES.object);
    }
  });

  describe('EndpointName', () => {
    it('is required', () => {
      expectInvalid('InvokeEndpoint', { EndpointName: undefined }, 'EndpointName', RULES.required);
    });
    it('must be a string', () => {
      expectInvalid('InvokeEndpoint', { EndpointName: 42 }, 'EndpointName', RULES.string);
    });
    it('must match the name pattern, echoing the value', () => {
      const error = expectInvalid('InvokeEndpoint', { EndpointName: 'bad_name' }, 'EndpointName', 'must match ^[a-zA-Z0-9](-*[a-zA-Z0-9])*$');
      expect(error.message).toBe('EndpointName: must match ^[a-zA-Z0-9](-*[a-zA-Z0-9])*$ (got "bad_name")');
    });
    it.each(['-lead', 'trail-', 'a b', 'ä', 'a/b', ''])('rejects %j', (name) => {
      const error = validateInput('InvokeEndpoint', { ...valid.InvokeEndpoint, EndpointName: name });
      expect(error?.member).toBe('EndpointName');
    });
    it('accepts repeated hyphens between alphanumerics', () => {
      expect(validateInput('InvokeEndpoint', { ...valid.InvokeEndpoint, EndpointName: 'a--b' })).toBeUndefined();
    });
    it('is at most 63 characters', () => {
      expect(validateInput('InvokeEndpoint', { ...valid.InvokeEndpoint, EndpointName: 'a'.repeat(63) })).toBeUndefined();
      expectInvalid('InvokeEndpoint', { EndpointName: 'a'.repeat(64) }, 'EndpointName', RULES.max(63));
    });
    it('is checked on every operation', () => {
      for (const op of Object.keys(valid) as OperationName[]) expectInvalid(op, { EndpointName: 'x.y' }, 'EndpointName', RULES.pattern(/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/));
    });
  });

  describe('Body', () => {
    it('is required on InvokeEndpoint and the streaming operation', () => {
      expectInvalid('InvokeEndpoint', { Body: undefined }, 'Body', RULES.required);
      expectInvalid('InvokeEndpointWithResponseStream', { Body: null }, 'Body', RULES.required);
    });
    it('must be a string or bytes', () => {
      expectInvalid('InvokeEndpoint', { Body: { x: 1 } }, 'Body', RULES.body);
      expectInvalid('InvokeEndpoint', { Body: 42 }, 'Body', RULES.body);
    });
    it('accepts string, Uint8Array, Buffer, ArrayBuffer and other views', () => {
      for (const Body of ['', 'x', new Uint8Array(2), Buffer.from('x'), new ArrayBuffer(4), new DataView(new ArrayBuffer(2)), new Int16Array(2)]) {
        expect(validateInput('InvokeEndpoint', { ...valid.InvokeEndpoint, Body })).toBeUndefined();
      }
    });
    it('is at most 6,291,456 bytes, counting UTF-8 bytes of a string, never echoing it', () => {
      expect(validateInput('InvokeEndpoint', { ...valid.InvokeEndpoint, Body: new Uint8Array(6_291_456) })).toBeUndefined();
      expectInvalid('InvokeEndpoint', { Body: new Uint8Array(6_291_457) }, 'Body', RULES.maxBytes(6_291_456));
      // 3,145,729 two-byte characters: fewer characters than the cap, more bytes.
      const error = expectInvalid('InvokeEndpointWithResponseStream', { Body: 'é'.repeat(3_145_729) }, 'Body', RULES.maxBytes(6_291_456));
      expect(error.message).toBe('Body: must be at most 6291456 bytes (got 6291458 bytes)');
      expect(error.message).not.toContain('é');
    });
    it('is at most 128,000 bytes on the async operation', () => {
      expect(validateInput('InvokeEndpointAsync', { ...valid.InvokeEndpointAsync, InputLocation: undefined, Body: 'x'.repeat(128_000) })).toBeUndefined();
      expectInvalid('InvokeEndpointAsync', { InputLocation: undefined, Body: 'x'.repeat(128_001) }, 'Body', RULES.maxBytes(128_000));
    });
    it('is exclusive with InputLocation on the async operation, and one of them is required', () => {
      expectInvalid('InvokeEndpointAsync', { Body: 'x' }, 'InputLocation', 'must not be given together with Body (exactly one of Body and InputLocation)');
      expectInvalid('InvokeEndpointAsync', { InputLocation: undefined }, 'Body', 'is required when InputLocation is not given (exactly one of Body and InputLocation)');
    });
  });

  describe('header members', () => {
    const ascii1024 = ['ContentType', 'Accept', 'CustomAttributes'];
    it.each(ascii1024)('%s is at most 1024 characters on every operation', (member) => {
      for (const op of Object.keys(valid) as OperationName[]) {
        expect(validateInput(op, { ...valid[op], [member]: 'a'.repeat(1024) })).toBeUndefined();
        expectInvalid(op, { [member]: 'a'.repeat(1025) }, member, RULES.max(1024));
      }
    });
    it.each(ascii1024)('%s must be printable US-ASCII', (member) => {
      expectInvalid('InvokeEndpoint', { [member]: 'caf\u00e9' }, member, RULES.ascii);
      expectInvalid('InvokeEndpoint', { [member]: 'a\r\nx-injected: 1' }, member, RULES.ascii);
      expectInvalid('InvokeEndpoint', { [member]: 'a\u0000' }, member, RULES.ascii);
    });
    it('ContentType may be empty (no minimum in the model)', () => {
      expect(validateInput('InvokeEndpoint', { ...valid.InvokeEndpoint, ContentType: '' })).toBeUndefined();
    });
    it('never echoes CustomAttributes, which the model marks sensitive', () => {
      const error = expectInvalid('InvokeEndpoint', { CustomAttributes: 'token=s3cr\u00e9t' }, 'CustomAttributes', RULES.ascii);
      expect(error.message).toBe(`CustomAttributes: ${RULES.ascii}`);
      expect(error.message).not.toContain('s3cr');
    });
    it('a value of the wrong type names the member', () => {
      expectInvalid('InvokeEndpoint', { Accept: 1 }, 'Accept', RULES.string);
    });

    it('TargetModel is 1-1024 characters, first not a space, all printable', () => {
      expectInvalid('InvokeEndpoint', { TargetModel: '' }, 'TargetModel', RULES.min(1));
      expectInvalid('InvokeEndpoint', { TargetModel: 'm'.repeat(1025) }, 'TargetModel', RULES.max(1024));
      expectInvalid('InvokeEndpoint', { TargetModel: ' model' }, 'TargetModel', RULES.print);
      expectInvalid('InvokeEndpoint', { TargetModel: 'model\ttab' }, 'TargetModel', RULES.print);
      expect(validateInput('InvokeEndpoint', { ...valid.InvokeEndpoint, TargetModel: 'a b/c~' })).toBeUndefined();
    });
    it.each(['TargetVariant', 'TargetContainerHostname'])('%s follows the name pattern and is at most 63 characters', (member) => {
      expectInvalid('InvokeEndpoint', { [member]: 'a_b' }, member, RULES.pattern(/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/));
      expectInvalid('InvokeEndpointWithResponseStream', { [member]: 'a'.repeat(64) }, member, RULES.max(63));
    });
    it('InferenceComponentName follows its pattern and is at most 63 characters', () => {
      const rule = RULES.pattern(/^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/);
      expectInvalid('InvokeEndpoint', { InferenceComponentName: 'ic-' }, 'InferenceComponentName', rule);
      expectInvalid('InvokeEndpointWithResponseStream', { InferenceComponentName: 'ic.1' }, 'InferenceComponentName', rule);
      expectInvalid('InvokeEndpoint', { InferenceComponentName: 'i'.repeat(64) }, 'InferenceComponentName', RULES.max(63));
      expect(validateInput('InvokeEndpoint', { ...valid.InvokeEndpoint, InferenceComponentName: 'a' })).toBeUndefined();
    });
    it.each(['InferenceId', 'PrefixAwareId'])('%s is 1-64 characters, first not a space', (member) => {
      expectInvalid('InvokeEndpoint', { [member]: '' }, member, RULES.min(1));
      expectInvalid('InvokeEndpoint', { [member]: 'x'.repeat(65) }, member, RULES.max(64));
      expectInvalid('InvokeEndpointWithResponseStream', { [member]: ' id' }, member, RULES.print);
    });
    it('InferenceId is checked on the async operation too', () => {
      expectInvalid('InvokeEndpointAsync', { InferenceId: 'x'.repeat(65) }, 'InferenceId', RULES.max(64));
    });
    it('EnableExplanations is 1-64 characters', () => {
      expectInvalid('InvokeEndpoint', { EnableExplanations: '' }, 'EnableExplanations', RULES.min(1));
      expectInvalid('InvokeEndpoint', { EnableExplanations: 'x'.repeat(65) }, 'EnableExplanations', RULES.max(64));
    });
  });

  describe('SessionId', () => {
    it('accepts NEW_SESSION and ids on InvokeEndpoint', () => {
      expect(validateInput('InvokeEndpoint', { ...valid.InvokeEndpoint, SessionId: 'NEW_SESSION' })).toBeUndefined();
      expect(validateInput('InvokeEndpoint', { ...valid.InvokeEndpoint, SessionId: 'abc-123' })).toBeUndefined();
    });
    it('rejects NEW_SESSION on the streaming operation', () => {
      expectInvalid('InvokeEndpointWithResponseStream', { SessionId: 'NEW_SESSION' }, 'SessionId', 'NEW_SESSION is allowed only on InvokeEndpoint (sessions are opened there)');
    });
    it('accepts ids that are also names of Object.prototype members on the streaming operation', () => {
      for (const SessionId of ['constructor', 'toString', 'valueOf', 'hasOwnProperty']) {
        expect(validateInput('InvokeEndpointWithResponseStream', { ...valid.InvokeEndpointWithResponseStream, SessionId })).toBeUndefined();
      }
    });
    it('follows the session pattern and is at most 256 characters', () => {
      expectInvalid('InvokeEndpoint', { SessionId: 'new_session' }, 'SessionId', RULES.pattern(/^(NEW_SESSION)$|^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/));
      expectInvalid('InvokeEndpoint', { SessionId: 's'.repeat(257) }, 'SessionId', RULES.max(256));
      expect(validateInput('InvokeEndpoint', { ...valid.InvokeEndpoint, SessionId: 's'.repeat(256) })).toBeUndefined();
    });
  });

  describe('async members', () => {
    it('InputLocation must be an s3:// or https:// URI of 1-1024 characters', () => {
      expectInvalid('InvokeEndpointAsync', { InputLocation: 'ftp://bucket/key' }, 'InputLocation', RULES.pattern(/^(https|s3):\/\/([^/]+)\/?(.*)$/));
      expectInvalid('InvokeEndpointAsync', { InputLocation: '' }, 'InputLocation', RULES.min(1));
      expectInvalid('InvokeEndpointAsync', { InputLocation: `s3://b/${'k'.repeat(1020)}` }, 'InputLocation', RULES.max(1024));
      expect(validateInput('InvokeEndpointAsync', { ...valid.InvokeEndpointAsync, InputLocation: 'https://b.s3.amazonaws.com/k' })).toBeUndefined();
    });
    it('S3OutputPathExtension may not start with a scheme', () => {
      const rule = RULES.pattern(/^(?!s3:|https:)[a-zA-Z0-9!_.*'()/-]+$/);
      expectInvalid('InvokeEndpointAsync', { S3OutputPathExtension: 's3://x' }, 'S3OutputPathExtension', rule);
      expectInvalid('InvokeEndpointAsync', { S3OutputPathExtension: 'a b' }, 'S3OutputPathExtension', rule);
      expectInvalid('InvokeEndpointAsync', { S3OutputPathExtension: 'x'.repeat(513) }, 'S3OutputPathExtension', RULES.max(512));
    });
    it('Filename has at most one dot and at most 32 characters', () => {
      const rule = RULES.pattern(/^(?!.*\..*\.)[a-zA-Z0-9][a-zA-Z0-9-_.]*$/);
      expectInvalid('InvokeEndpointAsync', { Filename: 'a.b.c' }, 'Filename', rule);
      expectInvalid('InvokeEndpointAsync', { Filename: '.hidden' }, 'Filename', rule);
      expectInvalid('InvokeEndpointAsync', { Filename: 'f'.repeat(33) }, 'Filename', RULES.max(32));
      expect(validateInput('InvokeEndpointAsync', { ...valid.InvokeEndpointAsync, Filename: 'out_1-a.json' })).toBeUndefined();
    });
    it.each([
      ['RequestTTLSeconds', 60, 21_600],
      ['InvocationTimeoutSeconds', 1, 3_600],
    ])('%s is an integer from %d to %d', (member, min, max) => {
      const rule = RULES.integer(min, max);
      expect(validateInput('InvokeEndpointAsync', { ...valid.InvokeEndpointAsync, [member]: min })).toBeUndefined();
      expect(validateInput('InvokeEndpointAsync', { ...valid.InvokeEndpointAsync, [member]: max })).toBeUndefined();
      expectInvalid('InvokeEndpointAsync', { [member]: min - 1 }, member, rule);
      expectInvalid('InvokeEndpointAsync', { [member]: max + 1 }, member, rule);
      expectInvalid('InvokeEndpointAsync', { [member]: min + 0.5 }, member, rule);
      expectInvalid('InvokeEndpointAsync', { [member]: String(min) }, member, rule);
    });
  });

  describe('members not in the operation', () => {
    it.each(['TargetModel', 'EnableExplanations'])('rejects %s on the streaming operation', (member) => {
      expectInvalid('InvokeEndpointWithResponseStream', { [member]: 'x' }, member, RULES.unknown('InvokeEndpointWithResponseStream'));
    });
    it('rejects InputLocation on InvokeEndpoint and TargetVariant on the async operation', () => {
      expectInvalid('InvokeEndpoint', { InputLocation: 's3://b/k' }, 'InputLocation', RULES.unknown('InvokeEndpoint'));
      expectInvalid('InvokeEndpointAsync', { TargetVariant: 'v' }, 'TargetVariant', RULES.unknown('InvokeEndpointAsync'));
    });
    it('rejects a misspelt member instead of silently dropping it', () => {
      expectInvalid('InvokeEndpoint', { Contenttype: 'text/csv' }, 'Contenttype', RULES.unknown('InvokeEndpoint'));
    });
    it('rejects a member named after an Object.prototype member', () => {
      expectInvalid('InvokeEndpoint', { toString: 'x' }, 'toString', RULES.unknown('InvokeEndpoint'));
    });
    it('ignores members set to undefined or null, as the AWS SDK does', () => {
      expect(validateInput('InvokeEndpointWithResponseStream', { ...valid.InvokeEndpointWithResponseStream, TargetModel: undefined })).toBeUndefined();
      expect(validateInput('InvokeEndpoint', { ...valid.InvokeEndpoint, Accept: null })).toBeUndefined();
    });
  });

  it('reports the first broken rule in table order', () => {
    const error = validateInput('InvokeEndpoint', { EndpointName: 'bad_name', Body: undefined });
    expect(error?.member).toBe('EndpointName');
  });

  it('truncates a long echoed value', () => {
    const error = validateInput('InvokeEndpoint', { ...valid.InvokeEndpoint, TargetVariant: '_'.repeat(60) });
    expect(error?.message).toBe(`TargetVariant: must match ^[a-zA-Z0-9](-*[a-zA-Z0-9])*$ (got "${'_'.repeat(60)}")`);
    const long = validateInput('InvokeEndpoint', { ...valid.InvokeEndpoint, TargetModel: ` ${'m'.repeat(200)}` });
    expect(long?.message.length).toBeLessThan(200);
  });
});
