/**
 * The `sent` event's view of a signed request, its headers redacted only when first read: most
 * calls never look at them, and redacting every attempt's headers up front was measurable. The
 * signed headers stay in a closure, never on the object, so `JSON.stringify`, `util.inspect`,
 * spreading and property access all see the redacted copy (or a getter) and never a secret.
 */
import type { SentRequest } from '../events/invoke-event.js';
import { redactHeaders } from '../signing/redact.js';

/** A `SentRequest` whose `headers` are `redactHeaders(signed)`, computed on first read. */
export function sentRequest(method: string, url: string, signed: Readonly<Record<string, string>>, bodySize: number): SentRequest {
  const request = { method, url, headers: undefined as unknown as Readonly<Record<string, string>>, bodySize };
  const settle = (headers: Readonly<Record<string, string>>) => {
    Object.defineProperty(request, 'headers', { value: headers, enumerable: true, configurable: true, writable: true });
    return headers;
  };
  Object.defineProperty(request, 'headers', {
    enumerable: true,
    configurable: true,
    get: () => settle(redactHeaders(signed)),
    set: settle,
  });
  return request;
}
