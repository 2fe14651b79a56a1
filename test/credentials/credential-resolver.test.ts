import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCredentialResolver } from '../../src/credentials/credential-resolver';
import { DEFAULT_PROVIDER_DESCRIPTION } from '../../src/platform/default-provider';
import { parseConfigIni, profileRegion } from '../../src/platform/profile-region';
import { CredentialsError } from '../../src/errors/client-errors';

const KEYS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret-key-value' };

describe('createCredentialResolver', () => {
  it('returns static credentials', async () => {
    const resolve = createCredentialResolver({ ...KEYS, sessionToken: 'tok' });
    await expect(resolve()).resolves.toEqual({ ...KEYS, sessionToken: 'tok' });
  });

  it('rejects static credentials without keys, naming the missing key and never the secret', async () => {
    const resolve = createCredentialResolver({ accessKeyId: '', secretAccessKey: 'super-secret' });
    const error = await resolve().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as Error).message).toBe('Credentials from the static credentials in the config have no accessKeyId');
    expect((error as Error).message).not.toContain('super-secret');
  });

  it('does not call the provider until asked, then memoises it', async () => {
    const provider = jest.fn(async () => ({ ...KEYS }));
    const resolve = createCredentialResolver(provider);
    expect(provider).not.toHaveBeenCalled();
    const first = await resolve();
    const second = await resolve();
    expect(provider).toHaveBeenCalledTimes(1);
    expect(second).toBe(first);
  });

  it('creates the default chain lazily, once, with the profile', async () => {
    const chainProvider = jest.fn(async () => ({ ...KEYS }));
    const defaultProvider = jest.fn(() => chainProvider);
    const resolve = createCredentialResolver(undefined, { profile: 'ml', defaultProvider });
    expect(defaultProvider).not.toHaveBeenCalled();
    await resolve();
    await resolve();
    expect(defaultProvider).toHaveBeenCalledTimes(1);
    expect(defaultProvider).toHaveBeenCalledWith({ profile: 'ml' });
    expect(chainProvider).toHaveBeenCalledTimes(1);
  });

  it('refreshes credentials within 5 minutes of expiry, not before', async () => {
    let now = 1_000_000;
    let n = 0;
    const provider = jest.fn(async () => ({ ...KEYS, accessKeyId: `AKID${++n}`, expiration: new Date(now + 10 * 60_000) }));
    const resolve = createCredentialResolver(provider, { now: () => now });
    expect((await resolve()).accessKeyId).toBe('AKID1');
    now += 4 * 60_000; // 6 minutes left
    expect((await resolve()).accessKeyId).toBe('AKID1');
    now += 60_000 + 1; // just under 5 minutes left
    expect((await resolve()).accessKeyId).toBe('AKID2');
    expect(provider).toHaveBeenCalledTimes(2);
  });

  it('never expires credentials without an expiration', async () => {
    let now = 0;
    const provider = jest.fn(async () => ({ ...KEYS }));
    const resolve = createCredentialResolver(provider, { now: () => now });
    await resolve();
    now += 365 * 24 * 3_600_000;
    await resolve();
    expect(provider).toHaveBeenCalledTimes(1);
  });

  it('shares one in-flight lookup between concurrent callers', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const provider = jest.fn(async () => {
      await gate;
      return { ...KEYS };
    });
    const resolve = createCredentialResolver(provider);
    const calls = [resolve(), resolve(), resolve()];
    release();
    const results = await Promise.all(calls);
    expect(provider).toHaveBeenCalledTimes(1);
    expect(results[1]).toBe(results[0]);
    expect(results[2]).toBe(results[0]);
  });

  it('turns a throwing provider into a CredentialsError naming what was tried, and tries again next time', async () => {
    const provider = jest
      .fn<Promise<typeof KEYS>, []>()
      .mockRejectedValueOnce(new Error('Could not load credentials from any providers'))
      .mockResolvedValueOnce({ ...KEYS });
    const resolve = createCredentialResolver(provider);
    const error = await resolve().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as CredentialsError).name).toBe('CredentialsError');
    expect((error as CredentialsError).message).toBe(
      'Could not load credentials from the credentials provider in the config: Could not load credentials from any providers',
    );
    expect((error as CredentialsError).cause).toBeInstanceOf(Error);
    expect((error as CredentialsError).retryable).toBe(false);
    await expect(resolve()).resolves.toEqual(KEYS);
    expect(provider).toHaveBeenCalledTimes(2);
  });

  it('names the default chain when it fails', async () => {
    const resolve = createCredentialResolver(undefined, {
      defaultProvider: () => async () => {
        throw new Error('no creds anywhere');
      },
      defaultProviderDescription: DEFAULT_PROVIDER_DESCRIPTION,
    });
    await expect(resolve()).rejects.toThrow(/^Could not load credentials from the default credential provider chain \(environment, .*\): no creds anywhere$/);
  });

  it('rejects a provider result without keys, without echoing the secret', async () => {
    const resolve = createCredentialResolver(async () => ({ accessKeyId: 'AKID', secretAccessKey: undefined as unknown as string }));
    const error = await resolve().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsError);
    expect((error as Error).message).toBe('Credentials from the credentials provider in the config have no secretAccessKey');
    const nothing = createCredentialResolver(async () => undefined as never);
    await expect(nothing()).rejects.toThrow('have no accessKeyId and secretAccessKey');
  });

  it("wraps a provider's failure in a CredentialsError that says where it came from and keeps the cause", async () => {
    const failure = new Error('process provider exited 1');
    const resolve = createCredentialResolver(async () => {
      throw failure;
    });
    const error = (await resolve().catch((e: unknown) => e)) as CredentialsError;
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error.message).toBe('Could not load credentials from the credentials provider in the config: process provider exited 1');
    expect(error.cause).toBe(failure);
    expect(error.retryable).toBe(false);
  });
});

describe('profileRegion', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'smrx-config-'));
    writeFileSync(
      join(dir, 'config'),
      [
        '# comment',
        '[default]',
        'region = eu-west-1',
        'output=json',
        '',
        '[profile ml]',
        'region=ap-southeast-2 ; trailing comment',
        's3 =',
        '  max_concurrent_requests = 20',
        '[sso-session corp]',
        'region = us-west-2',
        '[profile noregion]',
        'output = text',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the default profile region from AWS_CONFIG_FILE', () => {
    expect(profileRegion(undefined, { AWS_CONFIG_FILE: join(dir, 'config') })).toBe('eu-west-1');
  });
  it('reads the named profile, from the argument or AWS_PROFILE', () => {
    expect(profileRegion('ml', { AWS_CONFIG_FILE: join(dir, 'config') })).toBe('ap-southeast-2');
    expect(profileRegion(undefined, { AWS_CONFIG_FILE: join(dir, 'config'), AWS_PROFILE: 'ml' })).toBe('ap-southeast-2');
  });
  it('returns undefined for a profile without region, an unknown profile or a missing file', () => {
    expect(profileRegion('noregion', { AWS_CONFIG_FILE: join(dir, 'config') })).toBeUndefined();
    expect(profileRegion('nope', { AWS_CONFIG_FILE: join(dir, 'config') })).toBeUndefined();
    expect(profileRegion(undefined, { AWS_CONFIG_FILE: join(dir, 'missing') })).toBeUndefined();
  });
  it('skips sub-properties and non-profile sections', () => {
    const parsed = parseConfigIni('[profile a]\ns3 =\n  region = nested\n[sso-session x]\nregion = y\n');
    expect(parsed).toEqual({ a: { s3: '' } });
  });
});
