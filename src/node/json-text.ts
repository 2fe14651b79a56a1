/**
 * Reads the structure of JSON text without re-serialising it: where each member of an object
 * starts and ends, so an answer can be spliced into a record with every other byte kept (number
 * spellings, key order, escapes, duplicate keys). The text must already be known to be valid JSON
 * (the engine parses each line once with `JSON.parse`), so the scanner only skips, never validates.
 */

/** One member of an object in the text: its decoded key and the span of its value. */
export interface MemberSpan {
  readonly key: string;
  /** Offset of the value's first character. */
  readonly valueStart: number;
  /** Offset just past the value's last character. */
  readonly valueEnd: number;
}

/** The members of one object in the text and the offset of its closing brace. */
export interface ObjectSpan {
  /** Offset of `{`. */
  readonly start: number;
  /** Offset of the closing `}`. */
  readonly close: number;
  readonly members: readonly MemberSpan[];
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** Offset of the first non-whitespace character at or after `i`. */
export function skipWhitespace(text: string, i: number): number {
  while (i < text.length && WHITESPACE.has(text.charCodeAt(i))) i++;
  return i;
}

/** Offset just past the string starting at `i` (a `"`). */
function skipString(text: string, i: number): number {
  i++;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) throw new SyntaxError('unterminated string');
    // A quote is escaped when an odd number of backslashes precede it.
    let slashes = 0;
    for (let j = quote - 1; j >= i && text.charCodeAt(j) === 0x5c; j--) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/** Offset just past the JSON value starting at `i` (whitespace already skipped). */
export function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22) return skipString(text, i);
  if (c === 0x7b || c === 0x5b) {
    // Nested containers: count depth, stepping over strings (which may hold brackets).
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text.charCodeAt(j);
      if (d === 0x22) j = skipString(text, j) - 1;
      else if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    throw new SyntaxError('unterminated container');
  }
  // A number, true, false or null: runs until a delimiter.
  let j = i;
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if (d === 0x2c || d === 0x7d || d === 0x5d || WHITESPACE.has(d)) break;
    j++;
  }
  return j;
}

/** The members of the object whose `{` is at `start`. */
export function scanObject(text: string, start: number): ObjectSpan {
  if (text.charCodeAt(start) !== 0x7b) throw new SyntaxError(`expected an object at offset ${start}`);
  const members: MemberSpan[] = [];
  let i = skipWhitespace(text, start + 1);
  if (text.charCodeAt(i) === 0x7d) return { start, close: i, members };
  for (;;) {
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipWhitespace(text, keyEnd);
    i = skipWhitespace(text, i + 1); // past ':'
    const valueEnd = skipValue(text, i);
    members.push({ key, valueStart: i, valueEnd });
    i = skipWhitespace(text, valueEnd);
    if (text.charCodeAt(i) === 0x7d) return { start, close: i, members };
    i = skipWhitespace(text, i + 1); // past ','
  }
}

/** The member a parser reads for `key`: the last one of that name (JSON.parse keeps the last duplicate). */
export function lastMember(object: ObjectSpan, key: string): MemberSpan | undefined {
  for (let k = object.members.length - 1; k >= 0; k--) if (object.members[k]!.key === key) return object.members[k];
  return undefined;
}

/**
 * The raw text of the value at `path` in the object text, or undefined when a step is missing or
 * not an object. Used for `--key`: the key's own spelling, so two big integers that parse to the
 * same double stay distinct.
 */
export function rawValueAt(text: string, path: readonly string[]): string | undefined {
  let start = skipWhitespace(text, 0);
  for (const key of path) {
    if (text.charCodeAt(start) !== 0x7b) return undefined;
    const member = lastMember(scanObject(text, start), key);
    if (!member) return undefined;
    start = member.valueStart;
  }
  return text.slice(start, skipValue(text, start));
}
