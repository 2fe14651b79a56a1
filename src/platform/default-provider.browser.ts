/**
 * The credentials used when the client config gives none, in browsers and edge runtimes: there
 * is no default chain (no environment, no shared files, no instance metadata), so the provider
 * rejects with a `CredentialsError` saying to pass `credentials`.
 */
import type { AwsCredentialsProvider } from '../credentials/aws-credentials.js';
import { CredentialsError } from '../errors/client-errors.js';

/** What the default provider tries, as credential errors name it. */
export const DEFAULT_PROVIDER_DESCRIPTION = 'the default credentials of a browser or edge runtime';

/** The message of the rejection: what is missing and what to pass. */
export const NO_DEFAULT_CHAIN_MESSAGE =
  'browsers and edge runtimes have no default credential chain: pass credentials in the SageMakerRuntime config (a static object or a provider, e.g. from Cognito)';

/** Creates the default credentials provider of this platform: in browsers, one that rejects with a `CredentialsError`. */
export function createDefaultProvider(_init: { profile?: string } = {}): AwsCredentialsProvider {
  return () => Promise.reject(new CredentialsError({ message: NO_DEFAULT_CHAIN_MESSAGE }));
}
