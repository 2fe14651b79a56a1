/**
 * The credentials used when the client config gives none, on Node: the AWS SDK's default
 * provider chain, created on first use. Bundlers that honour the package's `browser` field use
 * `default-provider.browser.ts` instead.
 */
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialsProvider } from '../credentials/aws-credentials.js';

/** What the default provider tries, as credential errors name it. */
export const DEFAULT_PROVIDER_DESCRIPTION =
  'the default credential provider chain (environment, shared config and credentials files, SSO, web identity, process, container and instance metadata)';

/**
 * Creates the default credentials provider of this platform: on Node, `fromNodeProviderChain`
 * for `profile` (else `AWS_PROFILE` or `default`). Nothing is read until the provider is called.
 */
export function createDefaultProvider({ profile }: { profile?: string } = {}): AwsCredentialsProvider {
  return fromNodeProviderChain(profile === undefined ? {} : { profile }) as AwsCredentialsProvider;
}
