/**
 * An output must never overwrite an input, and two outputs must never share a file: compares the
 * files the paths lead to, through symlinks (real paths) and hard links (device and inode).
 */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/** One file a run reads or writes, named by the option that gave it. */
export interface NamedPath {
  /** The option, e.g. `--in`, for the message. */
  readonly option: string;
  readonly path: string;
}

/** Two of the paths lead to the same file. */
export class SameFileError extends Error {
  override name = 'SameFileError' as const;
  constructor(
    readonly first: NamedPath,
    readonly second: NamedPath,
  ) {
    super(`${second.option} ${second.path} is the same file as ${first.option} ${first.path}; refusing to run (nothing was read or written)`);
  }
}

/** The identity of the file a path leads to: dev+ino when it exists, else the real path of its folder plus its name. */
function identities(path: string): string[] {
  const absolute = resolve(path);
  try {
    const st = statSync(absolute);
    return [`ino:${st.dev}:${st.ino}`, `path:${realpathSync(absolute)}`];
  } catch {
    try {
      return [`path:${resolve(realpathSync(dirname(absolute)), basename(absolute))}`];
    } catch {
      return [`path:${absolute}`];
    }
  }
}

/** Throws `SameFileError` when two of `paths` lead to one file (paths are resolved against `cwd`). */
export function checkDistinctFiles(paths: readonly NamedPath[], cwd = process.cwd()): void {
  const seen = new Map<string, NamedPath>();
  for (const named of paths) {
    for (const id of identities(resolve(cwd, named.path))) {
      const earlier = seen.get(id);
      if (earlier && earlier !== named) throw new SameFileError(earlier, named);
      seen.set(id, named);
    }
  }
}

/** True for a `SameFileError`, even when two copies of the library are loaded. */
export function isSameFileError(e: unknown): e is SameFileError {
  return e instanceof Error && e.name === 'SameFileError';
}
