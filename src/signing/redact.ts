/** Redaction of secret-bearing headers before a request is shown in an event or a message. */
import { REDACTED, REDACTED_HEADERS } from '../protocol/wire.js';

/**
 * Returns a copy of the headers with `authorization` and `x-amz-security-token` (any case)
 * replaced by `[redacted]`, so the `sent` event and error messages never carry a secret.
 */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = REDACTED_HEADERS.has(name.toLowerCase()) ? REDACTED : value;
  return out;
}
