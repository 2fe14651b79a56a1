/**
 * The emulator's S3-compatible object store: where async inferences write their output and
 * failure objects, and where users put `InputLocation` objects. Bounded: the oldest objects are
 * dropped first, so a long async run keeps flat memory.
 */
import { createHash } from 'node:crypto';
import type { EmulatorObjectStore, StoredObject } from '../types.js';

/** An object as stored: bytes, type, and what `HeadObject` answers. */
export interface StoredObjectEntry extends StoredObject {
  contentType: string;
  /** The quoted hex MD5 of the body, as S3 answers a single-part upload's `ETag`. */
  etag: string;
  lastModified: Date;
}

/** Objects kept at most (oldest dropped first). */
export const MAX_STORED_OBJECTS = 1_000;

const S3_URI = /^s3:\/\/([^/]+)\/(.+)$/;

/** The bucket and key of `s3://bucket/key`; undefined for anything else. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = S3_URI.exec(uri);
  return m ? { bucket: m[1]!, key: m[2]! } : undefined;
}

/** The store behind `emulator.objects` and the emulator's GetObject/HeadObject/PutObject. */
export class ObjectStore implements EmulatorObjectStore {
  private readonly objects = new Map<string, StoredObjectEntry>();

  constructor(private readonly limit = MAX_STORED_OBJECTS) {}

  get(uri: string): StoredObjectEntry | undefined {
    return this.objects.get(uri);
  }

  set(uri: string, object: { body: string | Uint8Array; contentType?: string }): void {
    if (!parseS3Uri(uri)) throw new TypeError(`objects.set: the location must be s3://bucket/key, got ${JSON.stringify(uri)}`);
    const body = typeof object.body === 'string' ? Buffer.from(object.body, 'utf8') : Buffer.from(object.body);
    // Re-inserting moves the key to the newest end, so an overwrite is not dropped first.
    this.objects.delete(uri);
    this.objects.set(uri, {
      body,
      contentType: object.contentType ?? 'application/octet-stream',
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      lastModified: new Date(Math.floor(Date.now() / 1000) * 1000),
    });
    while (this.objects.size > this.limit) this.objects.delete(this.objects.keys().next().value!);
  }

  delete(uri: string): boolean {
    return this.objects.delete(uri);
  }

  keys(): string[] {
    return [...this.objects.keys()];
  }

  clear(): void {
    this.objects.clear();
  }
}
