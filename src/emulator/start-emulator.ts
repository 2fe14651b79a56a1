/**
 * Starts a local SageMaker Runtime emulator on loopback.
 */
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_CLOCK_SKEW_MS,
  DEFAULT_HOST,
  DEFAULT_MODEL_TIMEOUT_MS,
  DEFAULT_RECORD_REQUESTS,
  DEFAULT_SEED,
  EMULATOR_CREDENTIALS,
  EMULATOR_REGION,
  defaultEndpoints,
} from './constants.js';
import { validateEmulatorOptions } from './emulator-config.js';
import { EmulatorServer, type ResolvedEmulatorOptions } from './http/emulator-server.js';
import type { Emulator, EmulatorOptions } from './types.js';

/**
 * Starts a local SageMaker Runtime emulator: a real `node:http` server that speaks the wire
 * contract of InvokeEndpoint, InvokeEndpointWithResponseStream and InvokeEndpointAsync,
 * verifies SigV4 and answers errors as AWS does. Async inferences run after their 202 and
 * write their output or failure to an S3-compatible store the emulator serves itself
 * (`GET`/`HEAD`/`PUT /{bucket}/{key}`, signed with service `s3`). Resolves once it listens; `close()` it when
 * done (it destroys every open socket).
 *
 * @example
 * ```ts
 * import { startEmulator, EMULATOR_CREDENTIALS } from 'sagemaker-rx/emulator';
 * const emulator = await startEmulator({ endpoints: { reviews: { model: 'sentiment', faults: { throttleRate: 0.1 } } } });
 * const client = new SageMakerRuntime({ region: emulator.region, endpoint: emulator.url, credentials: EMULATOR_CREDENTIALS });
 * // … emulator.requests holds every request that arrived
 * await emulator.close();
 * ```
 * @throws {EmulatorConfigError} when an option is invalid (naming the key)
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  validateEmulatorOptions(options, { allowFunctions: true });
  const resolved: ResolvedEmulatorOptions = {
    port: options.port ?? 0,
    host: options.host ?? DEFAULT_HOST,
    region: options.region ?? EMULATOR_REGION,
    credentials: options.credentials === false ? false : (options.credentials ?? [{ ...EMULATOR_CREDENTIALS }]),
    endpoints: options.endpoints ?? defaultEndpoints(),
    accountId: options.accountId ?? DEFAULT_ACCOUNT_ID,
    seed: options.seed ?? DEFAULT_SEED,
    clockSkewMs: options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS,
    recordRequests: options.recordRequests ?? DEFAULT_RECORD_REQUESTS,
    cors: options.cors ?? false,
    modelTimeoutMs: options.modelTimeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS,
  };
  const server = new EmulatorServer(resolved);
  await server.listen();
  return server;
}
