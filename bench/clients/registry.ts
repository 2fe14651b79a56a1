/**
 * The clients under test, in the order a round runs them (A B C D E, A B C D E, …). Each module
 * exports `createClient: BenchClientFactory`; workers import only the one they run.
 */

export type ClientId = 'undici' | 'undici-signed' | 'aws-sdk' | 'sagemaker-rx' | 'sagemaker-rx-operators';

export interface ClientInfo {
  id: ClientId;
  /** Column label in the tables. */
  label: string;
  /** Module under `bench/clients/`, as imported at run time. */
  module: string;
}

export const CLIENTS: readonly ClientInfo[] = [
  { id: 'undici', label: 'bare undici', module: './undici.js' },
  { id: 'undici-signed', label: 'undici + signer', module: './undici-signed.js' },
  { id: 'aws-sdk', label: 'official AWS SDK v3', module: './aws-sdk.js' },
  { id: 'sagemaker-rx', label: 'sagemaker-rx invokeEndpoint$', module: './sagemaker-rx.js' },
  { id: 'sagemaker-rx-operators', label: 'sagemaker-rx + retry/timeout/throttle', module: './sagemaker-rx-operators.js' },
];

export function clientInfo(id: string): ClientInfo {
  const info = CLIENTS.find((c) => c.id === id);
  if (!info) throw new RangeError(`unknown client "${id}"; known: ${CLIENTS.map((c) => c.id).join(', ')}`);
  return info;
}
