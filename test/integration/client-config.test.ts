/** Construction of SageMakerRuntime: region and endpoint resolution, errors at construction, destroy. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { SageMakerRuntime } from '../../src/client/sagemaker-runtime';
import { MISSING_REGION_RULE } from '../../src/client/region';
import { startEmulator, EMULATOR_CREDENTIALS } from '../../src/emulator/index';
import { InvalidRequestError } from '../../src/errors/client-errors';
import type { InvokeEvent } from '../../src/events/invoke-event';

describe('new SageMakerRuntime(config)', () => {
  let dir: string;
  let configFile: string;
  const clients: SageMakerRuntime[] = [];
  const make = (...args: ConstructorParameters<typeof SageMakerRuntime>) => {
    const c = new SageMakerRuntime(...args);
    clients.push(c);
    return c;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'smrx-client-'));
    configFile = join(dir, 'config');
    writeFileSync(configFile, '[default]\nregion = sa-east-1\n[profile ml]\nregion = ca-central-1\n');
  });
  afterAll(async () => {
    for (const c of clients) await c.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes the region from the config first', () => {
    const c = make({ region: 'eu-west-1' }, { env: { AWS_REGION: 'us-west-2', AWS_CONFIG_FILE: configFile } });
    expect(c.region).toBe('eu-west-1');
    expect(c.endpoint.href).toBe('https://runtime.sagemaker.eu-west-1.amazonaws.com/');
  });

  it('then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    expect(make({}, { env: { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'us-east-2', AWS_CONFIG_FILE: configFile } }).region).toBe('us-west-2');
    expect(make({}, { env: { AWS_DEFAULT_REGION: 'us-east-2', AWS_CONFIG_FILE: configFile } }).region).toBe('us-east-2');
  });

  it('then the shared config profile: the config’s profile, AWS_PROFILE or default', () => {
    expect(make({}, { env: { AWS_CONFIG_FILE: configFile } }).region).toBe('sa-east-1');
    expect(make({ profile: 'ml' }, { env: { AWS_CONFIG_FILE: configFile } }).region).toBe('ca-central-1');
    expect(make({}, { env: { AWS_CONFIG_FILE: configFile, AWS_PROFILE: 'ml' } }).region).toBe('ca-central-1');
  });

  it('throws an InvalidRequestError naming every way to set a region when none is found', () => {
    let caught: unknown;
    try {
      make({ endpoint: 'http://127.0.0.1:1' }, { env: { AWS_CONFIG_FILE: join(dir, 'missing') } });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidRequestError);
    expect((caught as InvalidRequestError).member).toBe('region');
    expect((caught as InvalidRequestError).rule).toBe(MISSING_REGION_RULE);
    expect((caught as Error).message).toBe('region: set region in the config, AWS_REGION, AWS_DEFAULT_REGION or the shared config profile');
  });

  it('ignores empty environment values', () => {
    expect(make({}, { env: { AWS_REGION: '', AWS_DEFAULT_REGION: ' ', AWS_CONFIG_FILE: configFile } }).region).toBe('sa-east-1');
  });

  it('resolves FIPS and dual-stack endpoints, and rejects them with a custom endpoint', () => {
    expect(make({ region: 'us-east-1', useFipsEndpoint: true }).endpoint.host).toBe('runtime-fips.sagemaker.us-east-1.amazonaws.com');
    expect(make({ region: 'us-east-1', useDualstackEndpoint: true }).endpoint.host).toBe('runtime.sagemaker.us-east-1.api.aws');
    expect(() => make({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', useFipsEndpoint: true })).toThrow(
      'Invalid Configuration: FIPS and custom endpoint are not supported',
    );
  });

  it('owns a retry quota with the standard-mode capacity', () => {
    const c = make({ region: 'us-east-1' });
    expect(c.retryQuota.capacity).toBe(500);
    expect(c.retryQuota.available).toBe(500);
    expect(make({ region: 'us-east-1' }).retryQuota).not.toBe(c.retryQuota);
  });

  it('destroy() closes pooled connections; later calls end with one final ClientDestroyedError event, nothing sent', async () => {
    const emu = await startEmulator();
    try {
      const c = new SageMakerRuntime({ region: 'us-east-1', endpoint: emu.url, credentials: EMULATOR_CREDENTIALS });
      const ok = await c.invokeEndpoint({ EndpointName: 'echo', Body: 'x' });
      expect(ok.$metadata.httpStatusCode).toBe(200);
      await c.destroy();
      const events = await lastValueFrom(c.invokeEndpoint$({ EndpointName: 'echo', Body: 'x' }).pipe(toArray()));
      expect(events.map((e) => e.type)).toEqual(['error']);
      expect((events[0] as Extract<InvokeEvent, { type: 'error' }>).error).toMatchObject({ name: 'ClientDestroyedError', retryable: false });
      expect(emu.requests).toHaveLength(1);
    } finally {
      await emu.close();
    }
  });
});
