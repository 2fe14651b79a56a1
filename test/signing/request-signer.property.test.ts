/**
 * The template signer against the reference: for thousands of random inputs (every member of
 * every operation, bodies, endpoint base paths and names with reserved characters, session
 * tokens, whitespace the canonical form rewrites, dates around midnight UTC), the headers
 * `createRequestSigner` with node:crypto returns carry the `Authorization` that
 * `SignatureV4.sign()` computes for the same request, byte for byte, and the emulator's
 * verifier accepts them.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { REQUEST_MEMBERS, type OperationName } from '../../src/model/index';
import { requestPath, serializeRequest } from '../../src/protocol/serialize';
import { createRequestSigner } from '../../src/signing/request-signer';
import { SIGNING_CRYPTO } from '../../src/platform/signing-crypto';
import { verifySigV4 } from '../../src/emulator/auth/sigv4-verifier';

const RUNS = 2500;
const OPERATIONS = Object.keys(REQUEST_MEMBERS) as OperationName[];
const DAY_MS = 86_400_000;

/** Printable ASCII with the blanks and line breaks the canonical form rewrites. */
const headerText = fc.string({ unit: fc.constantFrom(...' \t\r\n  ', ...'azAZ09-_./;:=,"\'!*()[]{}<>?@#$%^&+|~`\\'.split('')), maxLength: 40 });
const anyText = fc.string({ unit: 'grapheme', maxLength: 24 });
const pathSegment = fc.string({ unit: fc.constantFrom(...'aZ09-_.~ !*\'();:@&=+$,%[]é/'.split(''), '..', '.', '%2F', '%20', 'ü'), maxLength: 8 });

const inputOf = (operation: OperationName) =>
  fc.record(
    Object.fromEntries(
      Object.entries(REQUEST_MEMBERS[operation]).map(([member, rule]) => {
        if (member === 'EndpointName') return [member, fc.oneof(fc.stringMatching(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,20}$/), anyText.filter((s) => s.length > 0))];
        if (rule.kind === 'body') return [member, fc.option(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 200 })), { nil: undefined })];
        if (rule.kind === 'integer') return [member, fc.option(fc.integer({ min: -1, max: 100_000 }), { nil: undefined })];
        return [member, fc.option(headerText, { nil: undefined, freq: 2 })];
      }),
    ),
  ) as fc.Arbitrary<{ EndpointName: string; Body?: string | Uint8Array } & Record<string, unknown>>;

const requestCase = fc.constantFrom(...OPERATIONS).chain((operation) =>
  fc.record({
    operation: fc.constant(operation),
    input: inputOf(operation),
    region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2', 'cn-north-1', 'us-gov-west-1', 'il-central-1'),
    protocol: fc.constantFrom('http', 'https'),
    host: fc.constantFrom('127.0.0.1', 'localhost', 'runtime.sagemaker.eu-west-1.amazonaws.com', '[::1]'),
    port: fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined }),
    basePath: fc.array(pathSegment, { maxLength: 4 }).map((segments) => segments.join('/')),
    trailingSlash: fc.boolean(),
    credentials: fc.record({
      accessKeyId: fc.stringMatching(/^[A-Z0-9]{4,20}$/),
      secretAccessKey: fc.string({ minLength: 1, maxLength: 40 }),
      sessionToken: fc.option(fc.oneof(fc.string({ maxLength: 60 }), fc.base64String({ maxLength: 80 })), { nil: undefined }),
    }),
    // Mostly within a few seconds of a midnight UTC, sometimes anywhere in 1990–2090.
    date: fc.oneof(
      fc.tuple(fc.integer({ min: 7_305, max: 43_830 }), fc.integer({ min: -3_000, max: 3_000 })).map(([day, ms]) => new Date(day * DAY_MS + ms)),
      fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-01-01T00:00:00Z'), noInvalidDate: true }),
    ),
  }),
);

type Case = typeof requestCase extends fc.Arbitrary<infer T> ? T : never;

function prepared(c: Case) {
  const endpoint = new URL(`${c.protocol}://${c.host}${c.port === undefined ? '' : `:${c.port}`}/${encodeURI(c.basePath)}${c.trailingSlash ? '/' : ''}`);
  const request = serializeRequest(c.operation, c.input);
  return { endpoint, request, path: requestPath(endpoint, request.path) };
}

async function reference(c: Case, endpoint: URL, path: string, headers: Record<string, string>, body: Uint8Array) {
  const signer = new SignatureV4({ service: 'sagemaker', region: c.region, sha256: Sha256, uriEscapePath: true, applyChecksum: true, credentials: c.credentials });
  // The reference hashes the body itself: no precomputed x-amz-content-sha256.
  const signed = await signer.sign(
    { method: 'POST', protocol: endpoint.protocol, hostname: endpoint.hostname, port: endpoint.port === '' ? undefined : Number(endpoint.port), path, query: {}, headers: { ...headers, host: endpoint.host }, body },
    { signingDate: c.date },
  );
  return signed.headers as Record<string, string>;
}

describe('the template signer equals SignatureV4.sign()', () => {
  it(`gives the same Authorization and signed headers for ${RUNS} random requests, and the emulator accepts them`, async () => {
    let templated = 0;
    await fc.assert(
      fc.asyncProperty(requestCase, async (c) => {
        const { endpoint, request, path } = prepared(c);
        const signer = createRequestSigner({ region: c.region, credentials: async () => c.credentials, crypto: SIGNING_CRYPTO });
        const payloadHash = await signer.payloadHash(request.body);
        expect(payloadHash).toBe(createHash('sha256').update(request.body).digest('hex'));
        const ours = await signer.sign({ method: 'POST', endpoint, path, headers: request.headers, payloadHash }, c.date);
        const theirs = await reference(c, endpoint, path, { ...request.headers }, request.body);
        expect(ours['authorization']).toBe(theirs['authorization']);
        for (const name of ['host', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token']) expect(ours[name]).toBe(theirs[name]);
        // A second attempt of the same input a second later reuses the layout and still matches.
        const later = new Date(c.date.getTime() + 1000);
        const retry = await signer.sign({ method: 'POST', endpoint, path, headers: request.headers, payloadHash }, later);
        expect(retry['authorization']).toBe((await reference({ ...c, date: later }, endpoint, path, { ...request.headers }, request.body))['authorization']);

        const verdict = await verifySigV4(
          { method: 'POST', path, query: {}, headers: ours, body: request.body },
          // An empty token is not sent (SigV4 signs none), so the emulator is told of none.
          { region: c.region, credentials: [{ ...c.credentials, sessionToken: c.credentials.sessionToken || undefined }], clockSkewMs: 60_000, now: () => c.date.getTime() },
        );
        expect(verdict).toEqual({ ok: true, accessKeyId: c.credentials.accessKeyId });
        templated++;
      }),
      { numRuns: RUNS },
    );
    expect(templated).toBe(RUNS);
  });
});

describe('what the template does not cover goes to SignatureV4', () => {
  const endpoint = new URL('http://127.0.0.1:4567');
  const date = new Date('2026-03-01T23:59:59.999Z');
  const credentials = { accessKeyId: 'AKIDODD', secretAccessKey: 'secret', sessionToken: 'tok' };
  it.each([
    ['an unsignable header', { 'content-type': 'a', 'user-agent': 'mine' }],
    ['a header in upper case', { 'Content-Type': 'a' }],
    ['a proxy- header', { 'proxy-authorization': 'x' }],
    ['its own x-amz-date', { 'x-amz-date': '20000101T000000Z' }],
    ['its own host', { host: 'elsewhere.example' }],
  ])('%s', async (_, headers: Record<string, string>) => {
    const payloadHash = createHash('sha256').update('').digest('hex');
    const request = { method: 'POST', endpoint, path: '/endpoints/e/invocations', headers, payloadHash };
    const fast = createRequestSigner({ region: 'us-east-1', credentials: async () => credentials, crypto: SIGNING_CRYPTO });
    const reference = createRequestSigner({ region: 'us-east-1', credentials: async () => credentials });
    expect(await fast.sign(request, date)).toEqual(await reference.sign(request, date));
  });
});
