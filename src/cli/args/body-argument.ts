/**
 * Reads the `--body` argument the way the AWS CLI reads blob parameters: text as given, or the
 * bytes of a file (`@path`, `fileb://path`), or stdin (`@-`).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { UsageError } from './usage-error.js';

/** Prefixes that name a file to read the body from, and what follows them. */
const FILE_PREFIXES = ['@', 'fileb://', 'file://'] as const;

/** Reads all of a stream into one buffer. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/**
 * The body bytes `--body` asks for: the text itself (UTF-8), a file's bytes for `@file`,
 * `fileb://file` or `file://file` (relative to `cwd`), or stdin for `@-`. An unreadable file is a
 * `UsageError` naming it.
 */
export async function readBodyArgument(arg: string, io: { stdin: Readable; cwd: string }, command: string): Promise<Uint8Array> {
  const prefix = FILE_PREFIXES.find((p) => arg.startsWith(p));
  if (prefix === undefined) return Buffer.from(arg, 'utf8');
  const path = arg.slice(prefix.length);
  if (path === '-') return readAll(io.stdin);
  if (path === '') throw new UsageError(`--body ${prefix} needs a file name`, command);
  try {
    return await readFile(resolve(io.cwd, path));
  } catch (err) {
    throw new UsageError(`--body: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, command);
  }
}
