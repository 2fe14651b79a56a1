/**
 * Builds a sagemaker-rx `SageMakerRuntime` for the bench server, loaded at run time (see
 * lib/library.ts), with the contracts of `src/client/config.ts` and `src/events/invoker.ts`.
 */
import type { SageMakerRuntimeConfig } from '../../src/client/config.js';
import type { EndpointInvoker } from '../../src/events/invoker.js';
import { benchCredentials, BENCH_REGION } from '../clients/bench-client.js';
import { requireExports } from './library.js';

export interface RxClient extends EndpointInvoker {
  destroy(): Promise<void> | void;
}

export type RxClientConstructor = new (config: SageMakerRuntimeConfig) => RxClient;

/** The client, or why it cannot be built yet. */
export function createRxClient(url: string, maxConnections: number): { ok: true; client: RxClient } | { ok: false; reason: string } {
  const lib = requireExports(['SageMakerRuntime']);
  if (!lib.ok) return lib;
  const SageMakerRuntime = lib.exports.SageMakerRuntime as RxClientConstructor;
  return { ok: true, client: new SageMakerRuntime({ region: BENCH_REGION, endpoint: url, credentials: benchCredentials(), maxConnections }) };
}
