/**
 * `--debug`: the client's logger, printing each fact on stderr as one line, the message then its
 * structured fields as JSON. The facts are already redacted by the library.
 */
import type { Writable } from 'node:stream';
import type { Logger, LogLevel } from '../../diagnostics/logger.js';

/** A logger that writes `sagemaker-rx <level>: <message> <fields as JSON>` lines to `stream`. */
export function createDebugLogger(stream: Writable): Logger {
  const at =
    (level: LogLevel) =>
    (fields: Record<string, unknown>, message: string): void => {
      stream.write(`sagemaker-rx ${level}: ${message} ${JSON.stringify(fields)}\n`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
