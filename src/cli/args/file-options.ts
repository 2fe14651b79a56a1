/**
 * Opens the files a command reads and writes, turning "no such file", "is a directory" and
 * "same file as the input" into a `UsageError` that names the option and the path, before any
 * record is read or written.
 */
import { createReadStream, createWriteStream, statSync, type ReadStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { checkDistinctFiles, isSameFileError, openAtomicOutput, type AtomicOutput, type NamedPath } from '../../node/index.js';
import { UsageError } from './usage-error.js';

function reason(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

/** Opens `path` (relative to `cwd`) for reading; resolves once it is open. A directory is a usage error. */
export async function openInput(path: string, cwd: string, option: string, command: string): Promise<ReadStream> {
  const absolute = resolve(cwd, path);
  try {
    if (statSync(absolute).isDirectory()) throw new UsageError(`${option}: ${path} is a directory, not a file`, command);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${option}: cannot read ${path}: ${reason(err)}`, command);
  }
  const stream = createReadStream(absolute);
  try {
    await once(stream, 'open');
  } catch (err) {
    stream.destroy();
    throw new UsageError(`${option}: cannot read ${path}: ${reason(err)}`, command);
  }
  return stream;
}

/** Opens `path` (relative to `cwd`) for writing (appending with `append`); resolves once it is open. */
export async function openOutput(path: string, cwd: string, option: string, command: string, append = false): Promise<WriteStream> {
  const absolute = resolve(cwd, path);
  if (isDirectory(absolute)) throw new UsageError(`${option}: ${path} is a directory, not a file`, command);
  const stream = createWriteStream(absolute, { flags: append ? 'a' : 'w' });
  try {
    await once(stream, 'open');
  } catch (err) {
    stream.destroy();
    throw new UsageError(`${option}: cannot write ${path}: ${reason(err)}`, command);
  }
  return stream;
}

/** Opens the atomic output of `path` (a temporary file beside it, renamed at the end). */
export async function openAtomic(
  path: string,
  cwd: string,
  option: string,
  command: string,
  options: { resume?: boolean; keepBytes?: number } = {},
): Promise<AtomicOutput> {
  const absolute = resolve(cwd, path);
  if (isDirectory(absolute)) throw new UsageError(`${option}: ${path} is a directory, not a file`, command);
  try {
    return await openAtomicOutput(absolute, options);
  } catch (err) {
    throw new UsageError(`${option}: cannot write ${path}: ${reason(err)}`, command);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Refuses, as a usage error, when two of the named files are one file (symlinks and hard links included). */
export function requireDistinctFiles(paths: readonly NamedPath[], cwd: string, command: string): void {
  try {
    checkDistinctFiles(paths, cwd);
  } catch (err) {
    if (isSameFileError(err)) throw new UsageError(err.message, command);
    throw err;
  }
}
