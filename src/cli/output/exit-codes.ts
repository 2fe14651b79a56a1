/**
 * The exit codes of `sagemaker-rx`, one table for every command (documented in docs/cli.md).
 */
export const EXIT_CODES = {
  /** Everything asked for was done: the call answered, every record was enriched. */
  ok: 0,
  /** The call was made and failed (service, model, network, timeout, credentials), or a record failed. */
  failed: 1,
  /** The command line or its inputs are wrong: unknown command or option, bad value, invalid request, unreadable file. Nothing was sent. */
  usage: 2,
  /** Stopped by SIGINT (Ctrl-C), as shells report 128 + 2. */
  interrupted: 130,
  /** Stopped by SIGTERM, as shells report 128 + 15. */
  terminated: 143,
} as const;

/** One of the exit codes in `EXIT_CODES`. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** The exit code a signal ends a run with. */
export const SIGNAL_EXIT_CODES: Readonly<Record<'SIGINT' | 'SIGTERM', ExitCode>> = {
  SIGINT: EXIT_CODES.interrupted,
  SIGTERM: EXIT_CODES.terminated,
};
