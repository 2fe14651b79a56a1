/**
 * `loadSharedConfig` in browsers and edge runtimes: there is no environment and no shared config
 * file, so nothing is configured outside the client's own config. The package's `browser` field
 * swaps `shared-config.js` for this module.
 */

/** The same shape as on Node; every member stays unset here. */
export interface SharedAwsConfig {
  endpointUrl?: { value: string; source: string };
  maxAttempts?: { value: number; source: string };
  retryMode?: { value: string; source: string };
  caBundle?: { value: string; path: string; source: string };
}

/** Returns `{}`: browsers and edge runtimes have no environment or shared config file. */
export function loadSharedConfig(_init: { profile?: string; env?: Record<string, string | undefined> } = {}): SharedAwsConfig {
  return {};
}
