/** Redaction of secret-bearing headers before a request is shown in an event or a message. */

/** Headers whose values never leave the client in events or messages. */
export const REDACTED_HEADERS: ReadonlySet<string> = new Set(['authorization', 'x-amz-security-token']);
export const REDACTED = '[redacted]';

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
 * Replaces every occurrence of a secret in an error's `message`, its modelled `Message` and the
 * string fields of its parsed `body` by `[redacted]`, in place: a server may echo the
 * `Authorization` header it rejected.
 */
export function scrubSecrets<E extends Error>(error: E, secrets: readonly string[]): E {
  if (secrets.length === 0) return error;
  const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join(REDACTED), text);
  const dirty = (value: unknown): value is string => typeof value === 'string' && secrets.some((s) => value.includes(s));
  if (dirty(error.message)) error.message = scrub(error.message);
  const fields = error as E & { Message?: unknown; body?: unknown };
  if (dirty(fields.Message)) {
    Object.defineProperty(error, 'Message', { value: scrub(fields.Message), enumerable: true, configurable: true, writable: true });
  }
  if (typeof fields.body === 'object' && fields.body !== null) {
    const body = fields.body as Record<string, unknown>;
    for (const [key, value] of Object.entries(body)) if (dirty(value)) body[key] = scrub(value);
  }
  return error;
}
