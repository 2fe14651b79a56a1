/**
 * The clients under test, in the order a round runs them (A B C D E, A B C D E, …). Each module
 * exports `createClient: BenchClientFactory`; workers import only the one they run.
 */

export type ClientId = 'undici' | 'undici-signed' | 'aws-sdk' | 'sagemaker-rx' | 'sagemaker-rx-operators' | 'sagemaker-rx-otel' | 'undici-signed-lean' | 'sagemaker-rx-baseline' | 'sagemaker-rx-operators-baseline';

export interface ClientInfo {
  id: ClientId;
  /** Column label in the tables. */
  label: string;
  /** Module under `bench/clients/`, as imported at run time. */
  module: string;
  /** Measured only when asked for with `--clients` (an experiment, not one of the clients). */
  optional?: boolean;
}

export const CLIENTS: readonly ClientInfo[] = [
  { id: 'undici', label: 'bare undici', module: './undici.js' },
  { id: 'undici-signed', label: 'undici + signer', module: './undici-signed.js' },
  { id: 'aws-sdk', label: 'official AWS SDK v3', module: './aws-sdk.js' },
  { id: 'sagemaker-rx', label: 'sagemaker-rx invokeEndpoint$', module: './sagemaker-rx.js' },
  { id: 'sagemaker-rx-operators', label: 'sagemaker-rx + retry/timeout/throttle', module: './sagemaker-rx-operators.js' },
  { id: 'sagemaker-rx-otel', label: 'the same + OpenTelemetry registered', module: './sagemaker-rx-otel.js' },
  { id: 'undici-signed-lean', label: 'undici + lean signer (experiment)', module: './undici-signed-lean.js', optional: true },
  // The same two clients built from `--baseline REF`: before/after ratios from one run.
  { id: 'sagemaker-rx-baseline', label: 'invokeEndpoint$ at the baseline', module: './sagemaker-rx-baseline.js', optional: true },
  { id: 'sagemaker-rx-operators-baseline', label: '+ retry/timeout/throttle at the baseline', module: './sagemaker-rx-operators-baseline.js', optional: true },
];

/** The clients a default or `--full` run measures. */
export const DEFAULT_CLIENTS: readonly ClientId[] = CLIENTS.filter((c) => !c.optional).map((c) => c.id);

export function clientInfo(id: string): ClientInfo {
  const info = CLIENTS.find((c) => c.id === id);
  if (!info) throw new RangeError(`unknown client "${id}"; known: ${CLIENTS.map((c) => c.id).join(', ')}`);
  return info;
}
