/**
 * An output file that appears under its name only when the run finishes: records go to a
 * temporary file beside the target (same folder, so the final rename is atomic), which `commit()`
 * renames over the target. A run killed midway leaves the target untouched and the temporary file
 * for `resume`.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm, stat, truncate } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, dirname, join, resolve } from 'node:path';

/** The temporary file beside `target`: `.name.partial`, one per target, so a resumed run finds it. */
export function partialPathOf(target: string): string {
  const absolute = resolve(target);
  return join(dirname(absolute), `.${basename(absolute)}.partial`);
}

/** An open atomic output. */
export interface AtomicOutput {
  /** The final name. */
  readonly target: string;
  /** The temporary file being written. */
  readonly partial: string;
  readonly stream: WriteStream;
  /** Ends the stream and renames the temporary file over the target. */
  commit(): Promise<void>;
  /** Ends the stream and leaves the temporary file where it is (for `resume`). */
  keep(): Promise<void>;
  /** Ends the stream and removes the temporary file (a run that wrote nothing worth resuming). */
  discard(): Promise<void>;
}

/** Options of `openAtomicOutput`. */
export interface OpenAtomicOutputOptions {
  /**
   * Continue a previous run: append to its temporary file (or to the finished target, moved back
   * to the temporary name), after cutting it to `keepBytes` (whole lines). @default false: start empty
   */
  resume?: boolean;
  keepBytes?: number;
}

/** Where a resumed run's previous output is: the temporary file if any, else the finished target. */
export async function previousOutputOf(target: string): Promise<string | undefined> {
  for (const path of [partialPathOf(target), resolve(target)]) {
    try {
      if ((await stat(path)).isFile()) return path;
    } catch {
      /* not there */
    }
  }
  return undefined;
}

async function ended(stream: WriteStream): Promise<void> {
  if (stream.closed) return;
  const closed = once(stream, 'close');
  stream.end();
  await closed;
}

/** Opens the temporary file of `target` for writing; resolves once it is open. */
export async function openAtomicOutput(target: string, options: OpenAtomicOutputOptions = {}): Promise<AtomicOutput> {
  const finalPath = resolve(target);
  const partial = partialPathOf(finalPath);
  if (options.resume) {
    const previous = await previousOutputOf(finalPath);
    if (previous === finalPath) await rename(finalPath, partial);
    if (previous !== undefined && options.keepBytes !== undefined) await truncate(partial, options.keepBytes);
  }
  const stream = createWriteStream(partial, { flags: options.resume ? 'a' : 'w' });
  await once(stream, 'open');
  let done = false;
  return {
    target: finalPath,
    partial,
    stream,
    async commit() {
      if (done) return;
      done = true;
      await ended(stream);
      await rename(partial, finalPath);
    },
    async keep() {
      if (done) return;
      done = true;
      await ended(stream);
    },
    async discard() {
      if (done) return;
      done = true;
      await ended(stream);
      await rm(partial, { force: true });
    },
  };
}
