/**
 * The one redaction pass: every string an error or an event carries — `name`, `message`,
 * `stack`, `$metadata` (the request id included), modelled members such as `OriginalMessage`,
 * `LogStreamArn` or `ErrorCode`, nested body fields, the whole `cause` chain — has the secrets of
 * the signed request replaced by `[redacted]`, in place. A server that echoes the request
 * headers it received can put them anywhere, so no field is trusted to be clean; a snippet cut
 * short may hold only the start of a secret, so a long enough prefix of one is scrubbed too.
 */

/** What a secret is replaced by. */
export const REDACTED = '[redacted]';

/** A prefix of a secret this long or longer is scrubbed wherever it appears. */
const LONG_PREFIX = 16;
/** A shorter prefix (down to this) is scrubbed only where the text is cut: at its end or before `…`. */
const CUT_PREFIX = 8;
/** How deep the walk goes into nested objects and causes; a server's JSON is not deeper in practice. */
const MAX_DEPTH = 12;

/**
 * Replaces every secret, and every prefix of one that a truncated text may hold, in `text`.
 * Returns `text` itself when it holds none (the common case costs one `indexOf` per secret).
 */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  const anchors = anchorsOf(secrets);
  for (let k = 0; k < secrets.length; k++) {
    const secret = secrets[k]!;
    const anchor = anchors[k]!;
    if (anchor === '') continue;
    let from = out.indexOf(anchor);
    if (from < 0) continue;
    let result = '';
    let last = 0;
    while (from >= 0) {
      let length = CUT_PREFIX;
      while (length < secret.length && from + length < out.length && out.charCodeAt(from + length) === secret.charCodeAt(length)) length++;
      const end = from + length;
      const cut = end === out.length || out[end] === '…';
      if (length === secret.length || length >= LONG_PREFIX || cut) {
        result += out.slice(last, from) + REDACTED;
        last = end;
        from = out.indexOf(anchor, end);
      } else {
        from = out.indexOf(anchor, from + 1);
      }
    }
    out = result + out.slice(last);
  }
  return out;
}

// The first characters of each secret, per secrets list (one list per attempt, many strings).
const ANCHORS = new WeakMap<readonly string[], readonly string[]>();

function anchorsOf(secrets: readonly string[]): readonly string[] {
  let anchors = ANCHORS.get(secrets);
  if (anchors === undefined) ANCHORS.set(secrets, (anchors = secrets.map((s) => (s.length < CUT_PREFIX ? '' : s.slice(0, CUT_PREFIX)))));
  return anchors;
}

/**
 * Redacts, in place, every string reachable from `value`: own properties (enumerable or not) of
 * objects and errors, array items, and `cause` chains, to a bounded depth, each object once.
 * Bytes (`Uint8Array`, `ArrayBuffer`) are data and are left alone. Returns `value`.
 */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  walk(value, secrets, [], 0);
  return value;
}

function walk(value: unknown, secrets: readonly string[], seen: object[], depth: number): void {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH || seen.includes(value)) return;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return;
  seen.push(value);
  const isError = value instanceof Error;
  let keys: (string | symbol)[];
  try {
    // Errors hide what matters (`stack`, `cause`, non-enumerable members) from Object.keys; an
    // event's own objects are plain, and their enumerable keys are what any view shows.
    keys = isError || Object.getPrototypeOf(value) !== Object.prototype ? Reflect.ownKeys(value) : Object.keys(value);
  } catch {
    return;
  }
  if (isError) {
    // `stack` starts with the message as it was at construction; `name`, `message` and `stack`
    // may be inherited or lazily computed, so visit them explicitly.
    for (const key of ['name', 'message', 'stack', 'cause']) if (!keys.includes(key)) keys.push(key);
  }
  for (const key of keys) {
    let current: unknown;
    try {
      current = (value as Record<string | symbol, unknown>)[key];
    } catch {
      continue;
    }
    if (typeof current === 'string') {
      if (current.length < CUT_PREFIX) continue;
      const clean = redactText(current, secrets);
      if (clean !== current) assign(value, key, clean);
    } else if (typeof current === 'object' && current !== null) {
      walk(current, secrets, seen, depth + 1);
    }
  }
}

/** Overwrites a property, also a read-only or inherited one; a frozen object is left as it is. */
function assign(target: object, key: string | symbol, text: string): void {
  const own = Object.getOwnPropertyDescriptor(target, key);
  try {
    if (own === undefined || 'value' in own) {
      Object.defineProperty(target, key, {
        value: text,
        writable: own?.writable ?? true,
        enumerable: own?.enumerable ?? false,
        configurable: own?.configurable ?? true,
      });
    } else if (own.set) {
      (target as Record<string | symbol, unknown>)[key] = text;
    }
  } catch {
    // non-configurable and read-only: nothing this pass can do
  }
}
