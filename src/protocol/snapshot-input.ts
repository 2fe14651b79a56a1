/**
 * An input is read once, into a plain snapshot, before it is validated: validation and
 * serialization then see the same values, so what is sent is what was validated even when a
 * getter answers differently on its second read. Whatever cannot be read — a throwing getter,
 * a Proxy trap, a detached ArrayBuffer — becomes an `InvalidRequestError` naming the member,
 * never an exception.
 */
import { InvalidRequestError } from '../errors/client-errors.js';
import { REQUEST_MEMBERS, type OperationName } from '../model/index.js';

/** Rule texts of the snapshot, so tests and docs read the same words. */
export const SNAPSHOT_RULES = {
  readable: 'must be readable (reading it threw)',
  detached: 'must not be a detached ArrayBuffer or a view of one',
} as const;

/** A plain, null-prototype copy of the input's members. */
export type InputSnapshot = Readonly<Record<string, unknown>>;

/**
 * Reads every own key and every member of `operation` from `input` exactly once. Returns the
 * snapshot (an {@link InputSnapshot}), or the `InvalidRequestError` of the first member that
 * could not be read. A value that is not an object is returned as it is, for validation to name.
 *
 * `Body` bytes are not copied (a 6 MiB body would be copied on every call), except when their
 * buffer can change size under the client (resizable or shared): then the bytes are copied, so
 * that the length validated is the length sent.
 */
export function snapshotInput(operation: OperationName, input: unknown): unknown {
  try {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  } catch (cause) {
    return unreadable('input', cause); // Array.isArray throws on a revoked Proxy
  }
  let keys: string[];
  try {
    keys = Object.keys(input);
  } catch (cause) {
    return unreadable('input', cause);
  }
  const snapshot: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  // Own keys first (unknown members included, for validation to name), then the members not
  // given as own keys (inherited ones are read, as validation always read them).
  for (const key of keys) {
    const read = readMember(input, key);
    if (read instanceof InvalidRequestError) return read;
    snapshot[key] = read;
  }
  for (const key of memberNames(operation)) {
    if (key in snapshot) continue;
    const read = readMember(input, key);
    if (read instanceof InvalidRequestError) return read;
    if (read !== undefined) snapshot[key] = read;
  }
  return snapshot;
}

const MEMBER_NAMES = new Map<OperationName, readonly string[]>();

function memberNames(operation: OperationName): readonly string[] {
  let names = MEMBER_NAMES.get(operation);
  if (names === undefined) MEMBER_NAMES.set(operation, (names = Object.keys(REQUEST_MEMBERS[operation])));
  return names;
}

/** Reads one member once; a body is checked to be readable bytes. */
function readMember(input: object, key: string): unknown {
  let value: unknown;
  try {
    value = (input as Record<string, unknown>)[key];
  } catch (cause) {
    return unreadable(key, cause);
  }
  return key === 'Body' ? snapshotBody(value) : value;
}

/** A body value that can be sent as validated: strings as they are, bytes checked to be readable. */
function snapshotBody(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  try {
    if (value instanceof ArrayBuffer) {
      if (isDetached(value)) return new InvalidRequestError({ member: 'Body', rule: SNAPSHOT_RULES.detached });
      return isResizable(value) ? new Uint8Array(value.slice(0)) : value;
    }
    if (ArrayBuffer.isView(value)) {
      const buffer = value.buffer as ArrayBufferLike;
      if (buffer instanceof ArrayBuffer && isDetached(buffer)) return new InvalidRequestError({ member: 'Body', rule: SNAPSHOT_RULES.detached });
      const bytes = new Uint8Array(buffer, value.byteOffset, value.byteLength);
      return !(buffer instanceof ArrayBuffer) || isResizable(buffer) ? bytes.slice() : value;
    }
    return value;
  } catch (cause) {
    return unreadable('Body', cause);
  }
}

function isDetached(buffer: ArrayBuffer): boolean {
  const flag = (buffer as { detached?: unknown }).detached;
  if (typeof flag === 'boolean') return flag;
  try {
    new Uint8Array(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

function isResizable(buffer: ArrayBuffer): boolean {
  return (buffer as { resizable?: unknown }).resizable === true;
}

function unreadable(member: string, cause: unknown): InvalidRequestError {
  // Only a real Error is kept as the cause: anything else a getter throws (a Proxy, an object
  // whose own getters throw) could throw again wherever the error is shown.
  let kept: Error | undefined;
  try {
    kept = cause instanceof Error && !isProxyLike(cause) ? cause : undefined;
  } catch {
    kept = undefined;
  }
  return new InvalidRequestError({ member, rule: SNAPSHOT_RULES.readable, message: `${member}: ${SNAPSHOT_RULES.readable}`, cause: kept });
}

function isProxyLike(error: Error): boolean {
  try {
    return typeof error.message !== 'string';
  } catch {
    return true;
  }
}
