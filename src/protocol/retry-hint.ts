/**
 * The server's retry hints: `x-amz-retry-after` in milliseconds, else
 * `retry-after` in seconds or as an HTTP date.
 */
import { RETRY_AFTER_HEADERS } from '../model/index.js';

/**
 * Returns how long the server asked the client to wait, in ms from `now`, or `undefined` when
 * it sent no usable hint. A date in the past gives 0.
 */
export function retryAfterMs(headers: Readonly<Record<string, string>>, now: number = Date.now()): number | undefined {
  const amz = headers[RETRY_AFTER_HEADERS.amzRetryAfterMs];
  if (amz !== undefined && /^\s*\d+\s*$/.test(amz)) return Number(amz);
  const standard = headers[RETRY_AFTER_HEADERS.retryAfter];
  if (standard === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(standard)) return Number(standard) * 1000;
  const date = Date.parse(standard);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
