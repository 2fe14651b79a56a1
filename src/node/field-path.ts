/**
 * Paths into a record for `field`, `as` and `key`: `a.b.c` names the member `c` of the object
 * `b` of the object `a`. A key that itself holds a dot is written with `\.` (`meta\.v1.score`).
 */

/** A parsed path: one decoded key per step. */
export type FieldPath = readonly string[];

/** Splits `a.b\.c` into `['a', 'b.c']`. Throws a `TypeError` naming `option` for an empty path or step. */
export function parseFieldPath(path: string, option: string): FieldPath {
  if (typeof path !== 'string' || path === '') throw new TypeError(`${option} must be a non-empty path such as "text" or "review.body"`);
  const steps: string[] = [];
  let step = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '\\' && path[i + 1] === '.') {
      step += '.';
      i++;
    } else if (c === '.') {
      steps.push(step);
      step = '';
    } else step += c;
  }
  steps.push(step);
  if (steps.some((s) => s === '')) throw new TypeError(`${option} "${path}" has an empty step (write a dot inside a key as \\.)`);
  return steps;
}

/** The path as the user wrote it, for messages. */
export function formatFieldPath(path: FieldPath): string {
  return path.map((s) => s.replace(/\./g, '\\.')).join('.');
}

/** True for a plain JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path` in a parsed record; throws an `Error` saying which step is missing. */
export function valueAtPath(record: unknown, path: FieldPath): unknown {
  let value = record;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const where = i === 0 ? 'the record' : `"${formatFieldPath(path.slice(0, i))}"`;
    if (!isPlainObject(value)) throw new Error(`${where} is not a JSON object, so it has no field "${formatFieldPath(path)}"`);
    if (!Object.hasOwn(value, key)) throw new Error(`the record has no field "${formatFieldPath(path)}"`);
    value = value[key];
  }
  return value;
}
