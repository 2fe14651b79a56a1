/**
 * Credentials for signing: a static object or a provider, else the platform's default (passed
 * in by the client: on Node the AWS SDK's node chain, in browsers none), normalised to one
 * memoised resolver that refreshes before expiry, shares one in-flight lookup between
 * concurrent callers, gives each lookup a deadline, and reports failures as `CredentialsError`.
 */
import type { AwsCredentials, AwsCredentialsProvider } from './aws-credentials.js';
import { CredentialsError } from '../errors/client-errors.js';
import { CREDENTIALS_REFRESH_WINDOW_MS, DEFAULT_CREDENTIALS_TIMEOUT_MS } from '../defaults.js';

/** Resolves the credentials to sign the next attempt with; rejects only with `CredentialsError`. */
export type CredentialResolver = () => Promise<AwsCredentials>;

/** Options of `createCredentialResolver`. */
export interface CredentialResolverOptions {
  /** The shared config profile for the default chain. @default AWS_PROFILE or 'default' */
  profile?: string;
  /** Clock, in epoch ms. @default Date.now */
  now?: () => number;
  /** Builds the default provider when no credentials are given (the client passes the platform's). */
  defaultProvider?: (init: { profile?: string }) => AwsCredentialsProvider;
  /** What the default provider is, for messages. @default 'the default credentials provider' */
  defaultProviderDescription?: string;
  /** How long before `expiration` credentials are fetched again, in ms. @default 300_000 (5 minutes) */
  refreshWindowMs?: number;
  /**
   * How long one lookup may take, in ms. A provider that has not answered by then fails the
   * callers waiting on it with a `CredentialsError`, and the next call asks it again.
   * @default 30_000
   */
  timeoutMs?: number;
}

/**
 * Normalises credentials given as a value or a provider into a memoised resolver. The default
 * chain is created on the first call, never before; a result is reused until it is within
 * `refreshWindowMs` of its `expiration`; concurrent callers share one lookup; a failed lookup is
 * not cached, so the next call tries again. A lookup that outlives `timeoutMs` is abandoned: its
 * callers get a `CredentialsError` and the next call starts a fresh lookup (a late answer from
 * the abandoned one is still kept when it is valid). Error messages name what was tried, never a
 * secret.
 */
export function createCredentialResolver(
  source: AwsCredentials | AwsCredentialsProvider | undefined,
  options: CredentialResolverOptions = {},
): CredentialResolver {
  const { now = Date.now, refreshWindowMs = CREDENTIALS_REFRESH_WINDOW_MS, defaultProvider = noDefaultProvider, timeoutMs = DEFAULT_CREDENTIALS_TIMEOUT_MS } = options;
  if (!(timeoutMs > 0)) throw new RangeError(`createCredentialResolver: timeoutMs must be > 0, got ${timeoutMs}`);
  if (source !== undefined && typeof source !== 'function') {
    const checked = checkCredentials(source, 'the static credentials in the config');
    return checked instanceof CredentialsError ? () => Promise.reject(checked) : () => Promise.resolve(checked);
  }
  const description = source === undefined ? (options.defaultProviderDescription ?? 'the default credentials provider') : 'the credentials provider in the config';
  let provider: AwsCredentialsProvider | undefined = source;
  let cached: AwsCredentials | undefined;
  let inFlight: Promise<AwsCredentials> | undefined;

  const fresh = (c: AwsCredentials): boolean => c.expiration === undefined || c.expiration.getTime() - now() > refreshWindowMs;

  const lookup = async (): Promise<AwsCredentials> => {
    let result: unknown;
    try {
      provider ??= defaultProvider({ profile: options.profile });
      result = await provider();
    } catch (cause) {
      throw new CredentialsError({ message: `Could not load credentials from ${description}: ${messageOf(cause)}`, cause });
    }
    const checked = checkCredentials(result, description);
    if (checked instanceof CredentialsError) throw checked;
    return checked;
  };

  // The provider's promise is shared; the deadline is per lookup, so a hung provider is asked
  // again by the next call instead of wedging every later one.
  const startLookup = (): Promise<AwsCredentials> => {
    const pending = lookup();
    const bounded = new Promise<AwsCredentials>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (inFlight === bounded) inFlight = undefined;
        reject(new CredentialsError({ message: `Could not load credentials from ${description}: no answer within ${timeoutMs} ms` }));
      }, timeoutMs);
      // A deadline must not keep a process alive that has nothing else to do.
      (timer as { unref?: () => void }).unref?.();
      pending.then(
        (c) => {
          clearTimeout(timer);
          if (cached === undefined || !fresh(cached)) cached = c;
          if (inFlight === bounded) inFlight = undefined;
          resolve(c);
        },
        (error: unknown) => {
          clearTimeout(timer);
          if (inFlight === bounded) inFlight = undefined;
          reject(error);
        },
      );
    });
    return bounded;
  };

  return () => {
    if (cached !== undefined && fresh(cached)) return Promise.resolve(cached);
    return (inFlight ??= startLookup());
  };
}

function noDefaultProvider(): AwsCredentialsProvider {
  throw new Error('no credentials were given and there is no default provider');
}

/** Checks that credentials carry both keys; keeps only the fields signing uses. */
function checkCredentials(value: unknown, description: string): AwsCredentials | CredentialsError {
  const c = value as Partial<AwsCredentials> | null | undefined;
  const missing = [
    typeof c?.accessKeyId === 'string' && c.accessKeyId !== '' ? undefined : 'accessKeyId',
    typeof c?.secretAccessKey === 'string' && c.secretAccessKey !== '' ? undefined : 'secretAccessKey',
  ].filter((m) => m !== undefined);
  if (missing.length > 0) {
    return new CredentialsError({ message: `Credentials from ${description} have no ${missing.join(' and ')}` });
  }
  const out: AwsCredentials = { accessKeyId: c!.accessKeyId!, secretAccessKey: c!.secretAccessKey! };
  if (typeof c!.sessionToken === 'string' && c!.sessionToken !== '') out.sessionToken = c!.sessionToken;
  const expiration = c!.expiration as unknown;
  if (expiration instanceof Date && !Number.isNaN(expiration.getTime())) out.expiration = expiration;
  return out;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
