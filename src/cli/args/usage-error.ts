/**
 * A mistake on the command line (unknown command or option, a missing or bad value): the CLI
 * prints its message and the command's usage on stderr and exits with code 2. Nothing was sent.
 */
export class UsageError extends Error {
  override name = 'UsageError' as const;
  /** The command whose usage to print, when the mistake is in its arguments. */
  readonly command?: string;
  constructor(message: string, command?: string) {
    super(message);
    if (command !== undefined) this.command = command;
  }
}

/** True for a `UsageError`, even from another copy of this module. */
export function isUsageError(e: unknown): e is UsageError {
  return e instanceof Error && e.name === 'UsageError';
}
