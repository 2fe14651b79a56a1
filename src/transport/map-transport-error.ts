/**
 * Maps an HTTP client's failure to this library's errors: undici's timeout codes to a
 * `TimeoutError` with its phase, everything else to a `NetworkError` with the system code.
 * Used by the undici transport; reads only `code`, `cause.code` and `message`, so it imports
 * nothing from undici.
 */
import { NetworkError, TimeoutError, type TimeoutPhase } from '../errors/client-errors.js';
import type { SageMakerRuntimeError } from '../errors/sagemaker-runtime-error.js';

/** undici timeout codes and the phase each one bounds. */
export const UNDICI_TIMEOUT_PHASES: Readonly<Record<string, TimeoutPhase>> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'body',
};

/**
 * undici codes that stand for a system condition Node's own http reports with a system code:
 * the peer closed the socket before the response was complete (`socket hang up`).
 */
export const UNDICI_SYSTEM_EQUIVALENTS: Readonly<Record<string, string>> = {
  UND_ERR_SOCKET: 'ECONNRESET',
};

const SYSTEM_CODE = /^E[A-Z0-9_]+$/;

/** Where the failure happened, for the message. */
export interface FailureContext {
  method: string;
  url: string;
  /** Configured deadlines in ms, by phase, for `TimeoutError.ms`. */
  timeouts?: Partial<Record<TimeoutPhase, number>>;
}

/** The string `code`s of an error and its `cause` chain (at most 5 levels), outermost first. */
export function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** Returns the system code of an error (`ECONNRESET`, …): its own, else its `cause`'s, else undefined. */
export function systemCodeOf(error: unknown): string | undefined {
  return codesOf(error).find((c) => SYSTEM_CODE.test(c));
}

/**
 * Maps a transport failure (its own code or its cause's, as fetch wraps undici's) to a
 * `TimeoutError` for undici's timeout codes, else a `NetworkError` with the system code.
 */
export function mapTransportError(error: unknown, { method, url, timeouts = {} }: FailureContext): SageMakerRuntimeError {
  const codes = codesOf(error);
  const detail = messagesOf(error);
  const timeoutCode = codes.find((c) => UNDICI_TIMEOUT_PHASES[c] !== undefined);
  if (timeoutCode !== undefined) {
    const phase = UNDICI_TIMEOUT_PHASES[timeoutCode]!;
    const ms = timeouts[phase];
    return new TimeoutError({
      phase,
      ms,
      code: timeoutCode,
      cause: error,
      message: `${method} ${url}: ${phase} timeout${ms === undefined ? '' : ` after ${ms} ms`} (${timeoutCode})`,
    });
  }
  const code = systemCodeOf(error) ?? codes.map((c) => UNDICI_SYSTEM_EQUIVALENTS[c] ?? c)[0];
  const shown = [...new Set([code, ...codes].filter((c): c is string => c !== undefined))].join(', ');
  return new NetworkError({ message: `${method} ${url}: ${detail}${shown ? ` (${shown})` : ''}`, code, cause: error });
}

/** The messages of an error and its causes, joined: `fetch failed: other side closed`. */
function messagesOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const message = current instanceof Error ? current.message : typeof current === 'object' ? undefined : String(current);
    if (message && !parts.includes(message)) parts.push(message);
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
  return parts.join(': ') || 'unknown transport failure';
}
