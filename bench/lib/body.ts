/** Request bodies: a JSON object padded to an exact byte size (starts with `{`, never an array). */
export function makeBody(bytes: number): Buffer {
  const head = '{"inputs":"';
  const tail = '"}';
  const pad = Math.max(0, bytes - head.length - tail.length);
  return Buffer.from(head + 'x'.repeat(pad) + tail);
}

/** `1 KiB`, `256 KiB`, `1.5 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
