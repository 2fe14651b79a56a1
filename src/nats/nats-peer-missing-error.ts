/** The optional peer packages `sagemaker-rx/nats` runs on, with the major version it is built for. */
export const NATS_PEERS = ['@nats-io/transport-node', '@nats-io/jetstream'] as const;
/** One of the optional peer package names. */
export type NatsPeerName = (typeof NATS_PEERS)[number];

/**
 * Thrown when `sagemaker-rx/nats` is used without its optional peer dependencies installed.
 * The message names the missing packages and the command that installs them.
 */
export class NatsPeerMissingError extends Error {
  override readonly name = 'NatsPeerMissingError' as const;
  /** The packages that could not be loaded. */
  readonly missing: readonly NatsPeerName[];

  constructor(missing: readonly NatsPeerName[], cause?: unknown) {
    super(
      `sagemaker-rx/nats needs the optional peer dependencies ${NATS_PEERS.join(' and ')} (3.x); ` +
        `missing: ${missing.join(', ')}. Install them with: npm install ${NATS_PEERS.map((p) => `${p}@3`).join(' ')}`,
      cause === undefined ? undefined : { cause },
    );
    this.missing = missing;
  }
}

/** True for a {@link NatsPeerMissingError}, also from another copy of the library. */
export function isNatsPeerMissingError(error: unknown): error is NatsPeerMissingError {
  return error instanceof Error && error.name === 'NatsPeerMissingError';
}
