/**
 * Opens the files a command reads and writes, turning "no such file" and friends into a
 * `UsageError` that names the option and the path, before any work starts.
 */
import { createReadStream, createWriteStream, type ReadStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { UsageError } from './usage-error.js';

/** Opens `path` (relative to `cwd`) for reading; resolves once it is open. */
export async function openInput(path: string, cwd: string, option: string, command: string): Promise<ReadStream> {
  const stream = createReadStream(resolve(cwd, path));
  try {
    await once(stream, 'open');
  } catch (err) {
    stream.destroy();
    throw new UsageError(`${option}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, command);
  }
  return stream;
}

/** Opens `path` (relative to `cwd`) for writing, truncating it; resolves once it is open. */
export async function openOutput(path: string, cwd: string, option: string, command: string): Promise<WriteStream> {
  const stream = createWriteStream(resolve(cwd, path));
  try {
    await once(stream, 'open');
  } catch (err) {
    stream.destroy();
    throw new UsageError(`${option}: cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, command);
  }
  return stream;
}
