/**
 * What `invokeEach` and `batchInvocations` share: the per-invocation options and the checks of
 * their configs. Internal helpers; only the `InvocationOptions` type is public.
 */

/** Throws a `RangeError` unless `value` is a positive integer or `Infinity`. */
export function validateConcurrency(operator: string, value: number): void {
  if (!(value === Infinity || (Number.isInteger(value) && value >= 1))) {
    throw new RangeError(`${operator}: concurrency must be a positive integer or Infinity, got ${value}`);
  }
}

/** The message of a thrown value, whatever was thrown. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
