/**
 * The `region` of a shared config profile, read synchronously so that a missing region can be
 * reported when the client is built (the AWS SDK reads the same file, `AWS_CONFIG_FILE` or
 * `~/.aws/config`, asynchronously on first use).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PROFILE, getHomeDir } from '@smithy/shared-ini-file-loader';

/** The config file path: `AWS_CONFIG_FILE`, else `~/.aws/config`. */
export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.AWS_CONFIG_FILE;
  if (fromEnv) return fromEnv.startsWith('~/') ? join(getHomeDir(), fromEnv.slice(2)) : fromEnv;
  return join(getHomeDir(), '.aws', 'config');
}

/**
 * Returns the `region` of the profile (`profile`, else `AWS_PROFILE`, else `default`) in the
 * shared config file, or `undefined` when the file, the profile or the key is missing.
 */
export function profileRegion(profile?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  let text: string;
  try {
    text = readFileSync(configFilePath(env), 'utf8');
  } catch {
    return undefined;
  }
  const name = profile ?? (env.AWS_PROFILE || DEFAULT_PROFILE);
  return parseConfigIni(text)[name]?.region;
}

/**
 * Parses the shared config file's INI dialect into profiles: `[default]` and `[profile name]`
 * sections (a bare `[name]` also counts, as older tools write it), `key = value` lines, `#` and
 * `;` comments; indented lines (sub-properties) and other section kinds (`[sso-session x]`) are
 * skipped.
 */
export function parseConfigIni(text: string): Record<string, Record<string, string>> {
  const profiles: Record<string, Record<string, string>> = Object.create(null);
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s*[#;].*$/, '');
    if (line.trim() === '') continue;
    const section = /^\s*\[\s*([^\]]+?)\s*\]\s*$/.exec(line);
    if (section) {
      const header = section[1]!;
      const named = /^profile\s+(.+)$/.exec(header);
      const name = named ? named[1]!.trim() : /\s/.test(header) ? undefined : header;
      current = name === undefined ? undefined : (profiles[name] ??= Object.create(null) as Record<string, string>);
      continue;
    }
    if (current === undefined || /^\s/.test(line)) continue;
    const pair = /^([^=]+?)\s*=\s*(.*?)\s*(?:\s[#;].*)?$/.exec(line);
    if (pair) current[pair[1]!.trim()] = pair[2]!;
  }
  return profiles;
}
