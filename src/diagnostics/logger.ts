/**
 * The `logger` a client can be given: four methods called as `logger.debug(fields, message)`,
 * which is pino's and bunyan's calling convention and prints well with `console` too.
 */

/** A structured logger: `console`, a pino or bunyan logger, or anything with these four methods. */
export interface Logger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** The level a fact is logged at. */
export type LogLevel = keyof Logger;

/** Calls `logger[level]`, and swallows what it throws: a broken logger must not break a call. */
export function writeLog(logger: Logger, level: LogLevel, fields: Record<string, unknown>, message: string): void {
  try {
    logger[level](fields, message);
  } catch {
    // Logging is best effort by design; the invocation's own events still tell the story.
  }
}
