/**
 * One call to get an emulator and a client wired to it, for users' integration tests.
 */
import { SageMakerRuntime } from '../client/sagemaker-runtime.js';
import type { SageMakerRuntimeConfig } from '../client/config.js';
import { EMULATOR_CREDENTIALS } from '../emulator/constants.js';
import { startEmulator } from '../emulator/start-emulator.js';
import type { Emulator, EmulatorOptions } from '../emulator/types.js';

export interface TestEmulator {
  /** The running emulator: `url`, `requests`, `stats`, `endpointStats(name)`, `setEndpoint`, `reset`. */
  readonly emulator: Emulator;
  /** A client pointed at the emulator, signing with credentials it accepts. */
  readonly client: SageMakerRuntime;
  /**
   * Checks what the emulator saw, like Angular's `HttpTestingController.verify()`: throws when a
   * request is still being answered, or when `expected.requests` is given and a different number
   * of requests arrived since start or the last `emulator.reset()`. Call it in `afterEach`.
   */
  verify(expected?: { requests?: number }): void;
  /** Destroys the client and closes the emulator (every socket). Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts an emulator on 127.0.0.1 port 0 and a `SageMakerRuntime` pointed at it.
 *
 * @example
 * ```ts
 * import { startTestEmulator } from 'sagemaker-rx/testing';
 *
 * let t: TestEmulator;
 * beforeAll(async () => { t = await startTestEmulator({ endpoints: { reviews: { model: 'sentiment' } } }); });
 * afterAll(() => t.close());
 *
 * it('scores a review', async () => {
 *   const out = await t.client.invokeEndpoint({ EndpointName: 'reviews', Body: '{"text":"great"}', ContentType: 'application/json' });
 *   expect(JSON.parse(new TextDecoder().decode(out.Body)).label).toBe('POSITIVE');
 *   expect(t.emulator.requests).toHaveLength(1);
 * });
 * ```
 */
export async function startTestEmulator(
  options: EmulatorOptions = {},
  clientConfig: Omit<SageMakerRuntimeConfig, 'endpoint' | 'region'> = {},
): Promise<TestEmulator> {
  const emulator = await startEmulator(options);
  const accepted = options.credentials === false ? undefined : options.credentials?.[0];
  const client = new SageMakerRuntime({
    credentials: accepted ?? EMULATOR_CREDENTIALS,
    ...clientConfig,
    region: emulator.region,
    endpoint: emulator.url,
  });
  let closed: Promise<void> | undefined;
  return {
    emulator,
    client,
    verify(expected = {}) {
      const { inFlight, total } = emulator.stats;
      if (inFlight > 0) throw new Error(`verify: ${inFlight} request(s) still being answered by the emulator`);
      if (expected.requests !== undefined && total !== expected.requests) {
        throw new Error(`verify: expected ${expected.requests} request(s), the emulator received ${total}`);
      }
    },
    close: () => (closed ??= client.destroy().then(() => emulator.close())),
  };
}
