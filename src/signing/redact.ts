/** Redaction of secret-bearing headers before a request is shown in an event or a message. */
import { REDACTED, redactSecrets } from '../errors/redact-error.js';

export { REDACTED };

/** Headers whose values never leave the client in events or messages. */
export const REDACTED_HEADERS: ReadonlySet<string> = new Set(['authorization', 'x-amz-security-token']);

/**
 * Returns a copy of the headers with `authorization` and `x-amz-security-token` (any case)
 * replaced by `[redacted]`, so the `sent` event and error messages never carry a secret.
 */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = REDACTED_HEADERS.has(name.toLowerCase()) ? REDACTED : value;
  return out;
}

/**
 * The secret values of a signed request worth scrubbing from messages: the `authorization`
 * value and its signature, and the session token.
 */
export function secretsOf(headers: Readonly<Record<string, string>>): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!REDACTED_HEADERS.has(name.toLowerCase()) || value === '') continue;
    secrets.push(value);
    const signature = /Signature=([0-9a-f]+)/.exec(value)?.[1];
    if (signature) secrets.push(signature);
  }
  return secrets;
}

/**
 * Replaces every secret (and a cut-off prefix of one) in every string the error carries — its
 * name, message, stack, `$metadata`, modelled members, nested body fields and `cause` chain — by
 * `[redacted]`, in place: a server may echo the `Authorization` header it rejected anywhere.
 */
export function scrubSecrets<E extends Error>(error: E, secrets: readonly string[]): E {
  return redactSecrets(error, secrets);
}
