/**
 * The endpoint URL, retry settings and CA bundle resolved from the environment and the shared
 * config file in the SDKs' order, row by row, and held to the SDK's own asynchronous loaders.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, loadSharedConfigFiles } from '@smithy/core/config';
import { NODE_MAX_ATTEMPT_CONFIG_OPTIONS, NODE_RETRY_MODE_CONFIG_OPTIONS } from '@smithy/core/retry';
import { SageMakerRuntime } from '../../src/client/sagemaker-runtime';
import { loadSharedConfig, parseSharedConfig } from '../../src/platform/shared-config';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'sagemaker-rx-config-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONFIG = `
[default]
endpoint_url = http://profile.example:1
max_attempts = 7
retry_mode = adaptive

[profile with-services]
services = local
endpoint_url = http://profile.example:2

[profile services-without-ours]
services = other
endpoint_url = http://profile.example:3

[profile ignoring]
endpoint_url = http://profile.example:4
ignore_configured_endpoint_urls = true

[services local]
sagemaker_runtime =
  endpoint_url = http://services.example:5
s3 =
  endpoint_url = http://s3.example:6

[services other]
s3 =
  endpoint_url = http://s3.example:7
`;

function env(vars: Record<string, string> = {}): NodeJS.ProcessEnv {
  const file = join(dir, 'config');
  writeFileSync(file, CONFIG);
  return { AWS_CONFIG_FILE: file, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'), ...vars };
}

const SERVICE = 'http://service-env.example:10';
const GLOBAL = 'http://global-env.example:11';

describe('endpoint URL precedence', () => {
  const rows: [string, { endpoint?: string; profile?: string; vars?: Record<string, string> }, string][] = [
    ['the config endpoint over everything', { endpoint: 'http://config.example:9', vars: { AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: SERVICE, AWS_ENDPOINT_URL: GLOBAL } }, 'http://config.example:9/'],
    ['AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME over AWS_ENDPOINT_URL', { vars: { AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: SERVICE, AWS_ENDPOINT_URL: GLOBAL } }, `${SERVICE}/`],
    ['AWS_ENDPOINT_URL over the profile', { vars: { AWS_ENDPOINT_URL: GLOBAL } }, `${GLOBAL}/`],
    ["the profile's services section over its endpoint_url", { profile: 'with-services' }, 'http://services.example:5/'],
    ["the profile's endpoint_url when its services section has no sagemaker_runtime", { profile: 'services-without-ours' }, 'http://profile.example:3/'],
    ["the profile's endpoint_url", {}, 'http://profile.example:1/'],
    ['the region endpoint when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true', { vars: { AWS_ENDPOINT_URL: GLOBAL, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' } }, 'https://runtime.sagemaker.eu-west-1.amazonaws.com/'],
    ['the region endpoint when the profile ignores configured URLs', { profile: 'ignoring' }, 'https://runtime.sagemaker.eu-west-1.amazonaws.com/'],
    ['the region endpoint when nothing is configured', { vars: { AWS_CONFIG_FILE: '/nonexistent/config' } }, 'https://runtime.sagemaker.eu-west-1.amazonaws.com/'],
  ];
  it.each(rows)('takes %s', async (_row, { endpoint, profile, vars }, expected) => {
    const client = new SageMakerRuntime({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, ...(endpoint && { endpoint }), ...(profile && { profile }) }, { env: env(vars) });
    expect(client.endpoint.href).toBe(expected);
    await client.destroy();
  });

  it('reports a services section the file does not have, naming it', () => {
    writeFileSync(join(dir, 'broken'), '[default]\nservices = missing\n');
    expect(() => loadSharedConfig({ env: { AWS_CONFIG_FILE: join(dir, 'broken') } })).toThrow(/services section "missing"/);
  });
});

describe('parsing as the SDK parses', () => {
  it('gives the same sections and keys as loadSharedConfigFiles', async () => {
    const e = env();
    const sdk = await loadSharedConfigFiles({ configFilepath: e.AWS_CONFIG_FILE!, filepath: e.AWS_SHARED_CREDENTIALS_FILE!, ignoreCache: true });
    expect({ ...parseSharedConfig(CONFIG) }).toEqual(JSON.parse(JSON.stringify(sdk.configFile)));
  });
});

describe('retry settings', () => {
  const rows: [string, Record<string, string>, string | undefined][] = [
    ['the profile', {}, undefined],
    ['the environment over the profile', { AWS_MAX_ATTEMPTS: '5', AWS_RETRY_MODE: 'standard' }, undefined],
    ['another profile without them', {}, 'with-services'],
  ];
  it.each(rows)('reads max_attempts and retry_mode from %s as the SDK loaders do', async (_row, vars, profile) => {
    const e = env(vars);
    const ours = loadSharedConfig({ env: e, ...(profile && { profile }) });
    const saved = { ...process.env };
    Object.assign(process.env, e, profile ? { AWS_PROFILE: profile } : {});
    try {
      const sdkAttempts = await loadConfig(NODE_MAX_ATTEMPT_CONFIG_OPTIONS, { ignoreCache: true })();
      const sdkMode = await loadConfig(NODE_RETRY_MODE_CONFIG_OPTIONS, { ignoreCache: true })();
      expect(ours.maxAttempts?.value ?? NODE_MAX_ATTEMPT_CONFIG_OPTIONS.default).toBe(sdkAttempts);
      expect(ours.retryMode?.value ?? NODE_RETRY_MODE_CONFIG_OPTIONS.default).toBe(sdkMode);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });

  it('gives the client the profile values: 7 attempts, adaptive', async () => {
    const client = new SageMakerRuntime({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }, { env: env() });
    expect([client.maxAttempts, client.retryMode]).toEqual([7, 'adaptive']);
    await client.destroy();
  });

  it('rejects an unusable AWS_MAX_ATTEMPTS at construction, naming it', () => {
    expect(() => new SageMakerRuntime({ region: 'eu-west-1' }, { env: env({ AWS_MAX_ATTEMPTS: '0' }) })).toThrow(/AWS_MAX_ATTEMPTS/);
  });
});

describe('the CA bundle', () => {
  it('reads the PEM file AWS_CA_BUNDLE names, else the profile ca_bundle', () => {
    writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(loadSharedConfig({ env: env({ AWS_CA_BUNDLE: join(dir, 'ca.pem') }) }).caBundle).toMatchObject({ source: 'AWS_CA_BUNDLE', value: expect.stringContaining('BEGIN CERTIFICATE') });
    writeFileSync(join(dir, 'with-ca'), `[default]\nca_bundle = ${join(dir, 'ca.pem')}\n`);
    expect(loadSharedConfig({ env: { AWS_CONFIG_FILE: join(dir, 'with-ca') } }).caBundle?.path).toBe(join(dir, 'ca.pem'));
  });

  it('reports a CA bundle that cannot be read', () => {
    expect(() => loadSharedConfig({ env: env({ AWS_CA_BUNDLE: join(dir, 'missing.pem') }) })).toThrow(/AWS_CA_BUNDLE: cannot read/);
  });
});
