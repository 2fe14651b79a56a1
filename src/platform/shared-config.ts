/**
 * The AWS configuration the SDKs and the AWS CLI read from the environment and the shared config
 * file, resolved the way they resolve it, on Node:
 *
 * - endpoint URL: `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME`, then `AWS_ENDPOINT_URL`, then the profile's
 *   `services` section (`sagemaker_runtime =` / `endpoint_url = …`), then the profile's
 *   `endpoint_url`; none of them when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or the profile's
 *   `ignore_configured_endpoint_urls` is true (the SDK's `getEndpointFromConfig`);
 * - `AWS_MAX_ATTEMPTS` / `max_attempts` and `AWS_RETRY_MODE` / `retry_mode`, read by the SDK's
 *   own selectors (`NODE_MAX_ATTEMPT_CONFIG_OPTIONS`, `NODE_RETRY_MODE_CONFIG_OPTIONS`);
 * - `AWS_CA_BUNDLE` / `ca_bundle`: a PEM file of the certificate authorities to trust.
 *
 * The SDK's loaders are asynchronous; the client reads its configuration in its constructor (so
 * that a missing region is reported there), so the file is read synchronously here and parsed into
 * the SDK's own shape (`[services x]` as `services.x`, sub-properties as `key.sub`); a test holds
 * the result to the SDK's asynchronous loaders for the same files and environment. Browsers and
 * edge runtimes get `shared-config.browser.ts` (nothing to read).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PROFILE, getHomeDir } from '@smithy/shared-ini-file-loader';
import { NODE_MAX_ATTEMPT_CONFIG_OPTIONS, NODE_RETRY_MODE_CONFIG_OPTIONS } from '@smithy/core/retry';

/** The service's id as the SDKs spell it in environment variables and `services` sections. */
export const SERVICE_ENV_SUFFIX = 'SAGEMAKER_RUNTIME';
export const SERVICE_CONFIG_KEY = 'sagemaker_runtime';

/** One profile's keys (sub-properties as `parent.child`), or one section of the file. */
export type ConfigSection = Record<string, string | undefined>;

/** What the environment and the shared config profile say, each with where it came from. */
export interface SharedAwsConfig {
  /** The endpoint URL, when one is configured. */
  endpointUrl?: { value: string; source: string };
  /** Attempts of the Promise twins, the first included. */
  maxAttempts?: { value: number; source: string };
  /** `standard`, `adaptive` (or `legacy`, read as `standard`). */
  retryMode?: { value: string; source: string };
  /** The PEM text of the CA bundle, and the file it was read from. */
  caBundle?: { value: string; path: string; source: string };
}

/** The shared config file: `AWS_CONFIG_FILE`, else `~/.aws/config`. */
export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.AWS_CONFIG_FILE;
  if (fromEnv) return fromEnv.startsWith('~/') ? join(getHomeDir(), fromEnv.slice(2)) : fromEnv;
  return join(getHomeDir(), '.aws', 'config');
}

/**
 * Parses the shared config file's INI dialect as the SDK does: `[default]`, `[profile name]`
 * (kept as `name`), `[services name]` (kept as `services.name`), `key = value`, a `key =` with no
 * value opening indented sub-properties (`key.sub`), `#`/`;` comments.
 */
export function parseSharedConfig(text: string): Record<string, ConfigSection> {
  const sections: Record<string, ConfigSection> = Object.create(null);
  let section: string | undefined;
  let parent: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.split(/(^|\s)[;#]/)[0]!.trim();
    if (line.startsWith('[') && line.endsWith(']')) {
      parent = undefined;
      const name = line.slice(1, -1).trim();
      const typed = /^([\w-]+)\s+(["'])?([\w@.:/+-]+)\2?$/.exec(name);
      if (typed) section = typed[1] === 'profile' ? typed[3]! : ['services', 'sso-session'].includes(typed[1]!) ? `${typed[1]}.${typed[3]}` : undefined;
      else section = name === DEFAULT_PROFILE || !/\s/.test(name) ? name : undefined;
      continue;
    }
    if (section === undefined) continue;
    const equals = line.indexOf('=');
    if (equals <= 0) continue;
    const key = line.slice(0, equals).trim();
    const value = line.slice(equals + 1).trim();
    if (value === '') {
      parent = key;
      continue;
    }
    if (parent !== undefined && raw.trimStart() === raw) parent = undefined;
    (sections[section] ??= Object.create(null) as ConfigSection)[parent === undefined ? key : `${parent}.${key}`] = value;
  }
  return sections;
}

/** Reads and parses the shared config file; a missing or unreadable file is an empty one. */
export function readSharedConfig(env: NodeJS.ProcessEnv = process.env): Record<string, ConfigSection> {
  try {
    return parseSharedConfig(readFileSync(configFilePath(env), 'utf8'));
  } catch {
    return Object.create(null) as Record<string, ConfigSection>;
  }
}

/** The profile's name: `profile`, else `AWS_PROFILE`, else `default`. */
export function profileName(profile: string | undefined, env: NodeJS.ProcessEnv): string {
  return profile ?? (env.AWS_PROFILE || DEFAULT_PROFILE);
}

/**
 * Resolves the endpoint URL, retry settings and CA bundle from `env` and the shared config
 * profile, in the SDKs' order (environment first). Throws an `Error` naming the variable or the key
 * when a value is unusable (`AWS_MAX_ATTEMPTS=three`, a `services` section that is not in the file,
 * a CA bundle that cannot be read): configuration mistakes are reported, not ignored.
 */
export function loadSharedConfig({ profile, env = process.env }: { profile?: string; env?: NodeJS.ProcessEnv } = {}): SharedAwsConfig {
  const files = readSharedConfig(env);
  const name = profileName(profile, env);
  const section: ConfigSection = files[name] ?? {};
  const where = `profile '${name}' of ${configFilePath(env)}`;
  const out: SharedAwsConfig = {};

  const endpointUrl = endpointUrlOf(env, section, files, where);
  if (endpointUrl) out.endpointUrl = endpointUrl;

  const envAttempts = NODE_MAX_ATTEMPT_CONFIG_OPTIONS.environmentVariableSelector(env);
  const fileAttempts = envAttempts === undefined ? NODE_MAX_ATTEMPT_CONFIG_OPTIONS.configFileSelector(section) : undefined;
  if (envAttempts !== undefined) out.maxAttempts = { value: envAttempts, source: 'AWS_MAX_ATTEMPTS' };
  else if (fileAttempts !== undefined) out.maxAttempts = { value: fileAttempts, source: `max_attempts of ${where}` };
  if (out.maxAttempts && !(Number.isInteger(out.maxAttempts.value) && out.maxAttempts.value >= 1)) {
    throw new Error(`${out.maxAttempts.source} must be an integer >= 1, got ${out.maxAttempts.value}`);
  }

  const envMode = NODE_RETRY_MODE_CONFIG_OPTIONS.environmentVariableSelector(env);
  const fileMode = envMode ? undefined : NODE_RETRY_MODE_CONFIG_OPTIONS.configFileSelector(section);
  if (envMode) out.retryMode = { value: envMode, source: 'AWS_RETRY_MODE' };
  else if (fileMode) out.retryMode = { value: fileMode, source: `retry_mode of ${where}` };

  const caPath = env.AWS_CA_BUNDLE || section.ca_bundle;
  if (caPath) {
    const source = env.AWS_CA_BUNDLE ? 'AWS_CA_BUNDLE' : `ca_bundle of ${where}`;
    const path = caPath.startsWith('~/') ? join(getHomeDir(), caPath.slice(2)) : caPath;
    let value: string;
    try {
      value = readFileSync(path, 'utf8');
    } catch (cause) {
      throw new Error(`${source}: cannot read the CA bundle ${path}: ${(cause as Error).message}`, { cause });
    }
    out.caBundle = { value, path, source };
  }
  return out;
}

/** The SDK's `getEndpointFromConfig` for this service, synchronously. */
function endpointUrlOf(env: NodeJS.ProcessEnv, section: ConfigSection, files: Record<string, ConfigSection>, where: string): SharedAwsConfig['endpointUrl'] {
  const ignore = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? section.ignore_configured_endpoint_urls;
  if (ignore !== undefined && ignore.toLowerCase() === 'true') return undefined;
  const serviceEnv = `AWS_ENDPOINT_URL_${SERVICE_ENV_SUFFIX}`;
  if (env[serviceEnv]) return { value: env[serviceEnv]!, source: serviceEnv };
  if (env.AWS_ENDPOINT_URL) return { value: env.AWS_ENDPOINT_URL, source: 'AWS_ENDPOINT_URL' };
  if (section.services) {
    const services = files[`services.${section.services}`];
    if (!services) throw new Error(`The services section "${section.services}" named by ${where} is not in the shared config file`);
    const url = services[`${SERVICE_CONFIG_KEY}.endpoint_url`];
    if (url) return { value: url, source: `${SERVICE_CONFIG_KEY}.endpoint_url of services '${section.services}'` };
  }
  if (section.endpoint_url) return { value: section.endpoint_url, source: `endpoint_url of ${where}` };
  return undefined;
}
