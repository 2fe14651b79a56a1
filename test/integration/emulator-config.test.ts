// Emulator options and JSON config files: valid files load and start an emulator; each kind
// of mistake is an EmulatorConfigError that names the key and the rule.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import {
  EmulatorConfigError,
  loadEmulatorConfig,
  parseEmulatorConfig,
  startEmulator,
  validateEmulatorOptions,
} from '../../src/emulator/index.js';
import { send } from './emulator-helpers.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'emulator-config-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function configError(run: () => unknown): EmulatorConfigError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(EmulatorConfigError);
    return err as EmulatorConfigError;
  }
  throw new Error('expected an EmulatorConfigError');
}

describe('loadEmulatorConfig', () => {
  it('loads a JSON config that starts an emulator with its endpoints and faults', async () => {
    const path = file(
      'ok.json',
      JSON.stringify({
        region: 'eu-west-1',
        accountId: '111122223333',
        seed: 3,
        credentials: [{ accessKeyId: 'AKIDFILE', secretAccessKey: 'file-secret' }],
        endpoints: {
          reviews: { model: 'sentiment', variant: 'Blue', faults: { latencyMs: 5, throttleRate: 0 } },
          gone: { model: 'echo', faults: { serverErrorRate: 1, serverErrorStatus: 503 } },
        },
      }),
    );
    const options = await loadEmulatorConfig(path);
    const emulator = await startEmulator({ ...options, port: 0 });
    const agent = new Agent();
    try {
      const creds = { accessKeyId: 'AKIDFILE', secretAccessKey: 'file-secret' };
      const ok = await send(emulator, agent, { path: '/endpoints/reviews/invocations', body: '{"text":"great"}', headers: { 'content-type': 'application/json' }, credentials: creds, region: 'eu-west-1' });
      expect(ok.status).toBe(200);
      expect(ok.headers['x-amzn-invoked-production-variant']).toBe('Blue');
      const down = await send(emulator, agent, { path: '/endpoints/gone/invocations', body: 'x', credentials: creds, region: 'eu-west-1' });
      expect(down.status).toBe(503);
      const missing = await send(emulator, agent, { path: '/endpoints/none/invocations', body: 'x', credentials: creds, region: 'eu-west-1' });
      expect(missing.json()).toEqual({ message: 'Endpoint none of account 111122223333 not found.' });
    } finally {
      await agent.close();
      await emulator.close();
    }
  });

  it('names the file when it cannot be read or is not JSON', async () => {
    await expect(loadEmulatorConfig(join(dir, 'absent.json'))).rejects.toThrow(/absent\.json: \(file\): cannot be read/);
    const bad = file('bad.json', '{ "port": ');
    await expect(loadEmulatorConfig(bad)).rejects.toMatchObject({ name: 'EmulatorConfigError', key: '(file)' });
  });

  it('names the file and the key of a bad value', async () => {
    const path = file('rate.json', JSON.stringify({ endpoints: { e: { model: 'echo', faults: { throttleRate: 2 } } } }));
    const err = (await loadEmulatorConfig(path).catch((e: unknown) => e)) as EmulatorConfigError;
    expect(err).toBeInstanceOf(EmulatorConfigError);
    expect(err.key).toBe('endpoints.e.faults.throttleRate');
    expect(err.message).toBe(`${path}: endpoints.e.faults.throttleRate: must be a number from 0 to 1, got 2`);
  });
});

describe('option validation', () => {
  it.each([
    [{ port: 70000 }, 'port', /integer from 0 to 65535/],
    [{ port: '80' }, 'port', /got "80"/],
    [{ hots: 'x' }, 'hots', /unknown option \(allowed: port, host, region/],
    [{ credentials: 'none' }, 'credentials', /array of \{ accessKeyId, secretAccessKey, sessionToken\? \} or false/],
    [{ credentials: [{ accessKeyId: 'A' }] }, 'credentials[0].secretAccessKey', /is required/],
    [{ endpoints: { e: { model: 'gpt' } } }, 'endpoints.e.model', /one of "echo", "sentiment", "text-generator"/],
    [{ endpoints: { e: { variant: 'x' } } }, 'endpoints.e.model', /is required/],
    [{ endpoints: { 'bad_name': { model: 'echo' } } }, 'endpoints.bad_name', /endpoint names/],
    [{ endpoints: { e: { model: 'echo', faults: { serverErrorStatus: 502 } } } }, 'endpoints.e.faults.serverErrorStatus', /one of 500, 503/],
    [{ endpoints: { e: { model: 'echo', faults: { maxConcurrency: 1.5 } } } }, 'endpoints.e.faults.maxConcurrency', /integer >= 0/],
    [{ endpoints: { e: { model: 'echo', faults: { stream: { fault: 'explode' } } } } }, 'endpoints.e.faults.stream.fault', /"ModelStreamError", "InternalStreamFailure", "truncate", "stall"/],
    [{ endpoints: { e: { model: 'echo', generator: { splitAt: [1, -2] } } } }, 'endpoints.e.generator.splitAt[1]', /integer >= 0/],
    [{ endpoints: { e: { model: 'echo', generator: { tokensPerSecond: 0 } } } }, 'endpoints.e.generator.tokensPerSecond', /> 0/],
    [{ accountId: '123' }, 'accountId', /12 digits/],
    [{ clockSkewMs: -1 }, 'clockSkewMs', />= 0/],
    [{ toString: 1 }, 'toString', /unknown option/],
    [{ endpoints: { e: { model: 'echo', faults: { constructor: 5 } } } }, 'endpoints.e.faults.constructor', /unknown option/],
    [{ endpoints: { e: { model: 'echo', variants: { a: { model: 'echo' } } } } }, 'endpoints.e', /exactly one of model, variants, inferenceComponents, containers \(got model, variants\)/],
    [{ endpoints: { e: { variants: { a: { model: 'echo' } }, targetModels: ['m'] } } }, 'endpoints.e.targetModels', /only goes with model/],
    [{ endpoints: { e: { variants: { a: { model: 'echo', weight: 0 } } } } }, 'endpoints.e.variants.a.weight', /> 0/],
    [{ endpoints: { e: { variants: { a_b: { model: 'echo' } } } } }, 'endpoints.e.variants.a_b', /variant names/],
    [{ endpoints: { e: { variants: {} } } }, 'endpoints.e.variants', /at least one entry/],
    [{ endpoints: { e: { inferenceComponents: { ic: {} } } } }, 'endpoints.e.inferenceComponents.ic.model', /is required/],
    [{ endpoints: { e: { containers: { c: { model: 'gpt' } } } } }, 'endpoints.e.containers.c.model', /one of "echo"/],
    [{ endpoints: { e: { model: 'echo', targetModels: [] } } }, 'endpoints.e.targetModels', /non-empty array/],
    [{ endpoints: { e: { model: 'echo', explainer: 'yes' } } }, 'endpoints.e.explainer', /true or false/],
    [{ modelTimeoutMs: 0 }, 'modelTimeoutMs', /> 0/],
    [{ recordRequests: -1 }, 'recordRequests', /integer >= 0/],
    [{ cors: 'on' }, 'cors', /true or false/],
  ])('rejects %j naming %s', (options, key, rule) => {
    const err = configError(() => parseEmulatorConfig(JSON.stringify(options)));
    expect(err.key).toBe(key);
    expect(err.rule).toMatch(rule);
  });

  it('rejects a "__proto__" key as an unknown option instead of crashing', () => {
    const err = configError(() => parseEmulatorConfig('{"__proto__": {"port": 1}}'));
    expect(err.key).toBe('__proto__');
    expect(err.rule).toMatch(/unknown option/);
  });

  it('rejects functions in a JSON-style validation but accepts them from code', () => {
    const options = { endpoints: { e: { model: () => ({ body: 'x' }), faults: { failWhen: () => undefined } } } };
    expect(configError(() => validateEmulatorOptions(options)).key).toBe('endpoints.e.model');
    expect(() => validateEmulatorOptions(options, { allowFunctions: true })).not.toThrow();
  });

  it('makes startEmulator reject bad options before it listens', async () => {
    await expect(startEmulator({ endpoints: { e: { model: 'echo', faults: { resetRate: -0.1 } } } })).rejects.toMatchObject({
      name: 'EmulatorConfigError',
      key: 'endpoints.e.faults.resetRate',
    });
  });

  it('makes setEndpoint reject a bad endpoint config as startEmulator does, keeping the endpoint as it was', async () => {
    const emulator = await startEmulator({ endpoints: { e: { model: 'echo' } } });
    const agent = new Agent();
    try {
      const typo = { model: 'echo', faults: { throttlerate: 1 } } as never;
      const err = configError(() => emulator.setEndpoint('e', typo));
      expect(err.key).toBe('endpoints.e.faults.throttlerate');
      expect(err.rule).toMatch(/unknown option \(allowed: latencyMs, jitterMs, throttleRate/);
      expect(configError(() => emulator.setEndpoint('f', { model: 'ech0' as never })).key).toBe('endpoints.f.model');
      expect((await send(emulator, agent, { path: '/endpoints/e/invocations', body: 'hi' })).status).toBe(200);
      expect((await send(emulator, agent, { path: '/endpoints/f/invocations', body: 'hi' })).json()).toEqual({
        message: 'Endpoint f of account 123456789012 not found.',
      });
    } finally {
      await agent.close();
      await emulator.close();
    }
  });

  it('rejects a config that is not an object', () => {
    expect(configError(() => parseEmulatorConfig('[1]')).key).toBe('(root)');
  });
});
