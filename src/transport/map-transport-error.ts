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

/** Returns the system code of an error: its own `code`, else its `cause`'s (up to 5 levels), else undefined. */
export function systemCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && SYSTEM_CODE.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Maps a transport failure to `TimeoutError` (by undici code) or `NetworkError` (with the system code). */
export function mapTransportError(error: unknown, { method, url, timeouts = {} }: FailureContext): SageMakerRuntimeError {
  const ownCode = typeof (error as { code?: unknown })?.code === 'string' ? ((error as { code: string }).code) : undefined;
  const detail = error instanceof Error ? error.message : String(error);
  const phase = ownCode === undefined ? undefined : UNDICI_TIMEOUT_PHASES[ownCode];
  if (phase !== undefined) {
    const ms = timeouts[phase];
    return new TimeoutError({
      phase,
      ms,
      code: ownCode,
      cause: error,
      message: `${method} ${url}: ${phase} timeout${ms === undefined ? '' : ` after ${ms} ms`} (${ownCode})`,
    });
  }
  const code = systemCodeOf(error) ?? (ownCode === undefined ? undefined : (UNDICI_SYSTEM_EQUIVALENTS[ownCode] ?? ownCode));
  const codes = [code, ownCode !== code ? ownCode : undefined].filter(Boolean).join(', ');
  return new NetworkError({ message: `${method} ${url}: ${detail}${codes ? ` (${codes})` : ''}`, code, cause: error });
}
