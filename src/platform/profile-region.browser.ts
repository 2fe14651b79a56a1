/**
 * `profileRegion` in browsers and edge runtimes: there is no shared config file to read, so no
 * profile gives a region (set `region` in the config). The package's `browser` field swaps
 * `profile-region.js` for this module.
 */

/** Returns `undefined`: browsers and edge runtimes have no shared config file. */
export function profileRegion(_profile?: string, _env?: Record<string, string | undefined>): string | undefined {
  return undefined;
}
