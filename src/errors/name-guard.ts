/**
 * Builds a type guard that tests an error's `name` rather than its class, so it holds when two
 * copies of the library are loaded. Internal: the guards it builds are public.
 */
export function nameGuard<T extends Error>(name: T['name']): (e: unknown) => e is T {
  return (e: unknown): e is T => e instanceof Error && e.name === name;
}
