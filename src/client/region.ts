/** Region resolution for the client: the config, then the environment, then the shared config profile. */
import { InvalidRequestError } from '../errors/client-errors.js';
import { profileRegion } from '../platform/profile-region.js';

/** The rule a missing region breaks, naming every way to set it. */
export const MISSING_REGION_RULE = 'set region in the config, AWS_REGION, AWS_DEFAULT_REGION or the shared config profile';

/**
 * Returns the region from `config.region`, else `AWS_REGION`, else `AWS_DEFAULT_REGION`, else
 * the `region` of the shared config profile (`profile`, `AWS_PROFILE` or `default`), read
 * synchronously. Throws `InvalidRequestError` (member `region`) when none gives one.
 */
export function resolveRegion(config: { region?: string; profile?: string }, env: NodeJS.ProcessEnv = typeof process === 'undefined' ? {} : process.env): string {
  const region = nonEmpty(config.region) ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? nonEmpty(profileRegion(config.profile, env));
  if (region === undefined) throw new InvalidRequestError({ member: 'region', rule: MISSING_REGION_RULE });
  return region;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
