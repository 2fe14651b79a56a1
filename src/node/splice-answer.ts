/**
 * Adds the answer to a record by splicing text: the output line is the input line byte for byte
 * with one member added (or, when the member already exists, its value replaced), so numbers such
 * as 12345678901234567891, 1.10, 1e400 and -0, string escapes, key order and duplicate keys all
 * survive. Only the answer is serialised.
 */
import { formatFieldPath, isPlainObject, type FieldPath } from './field-path.js';
import { lastMember, scanObject, skipWhitespace } from './json-text.js';

/** Why an answer could not be added under `as` (the record keeps its shape; the engine reports it). */
export class SpliceError extends Error {
  override name = 'SpliceError' as const;
}

/** `"b":{"c":answer}` for the steps of `as` below an object that lacks the first of them. */
function nestedMember(path: FieldPath, answerText: string): string {
  let text = answerText;
  for (let i = path.length - 1; i >= 1; i--) text = `{${JSON.stringify(path[i])}:${text}}`;
  return `${JSON.stringify(path[0])}:${text}`;
}

/**
 * The record line with `answerText` (JSON text, one line) under `as`.
 *
 * `parsed` is the line already parsed with `JSON.parse`: for the usual case (a flat `as` the record
 * does not have) it tells everything needed, and the splice is a single insertion before the
 * closing brace, with no scan. A record that is not an object becomes `{"input":<line>,"<as>":…}`,
 * the line still verbatim inside it.
 */
export function spliceAnswer(line: string, parsed: unknown, as: FieldPath, answerText: string): string {
  if (!isPlainObject(parsed)) return `{"input":${line.trim()},${nestedMember(as, answerText)}}`;
  const first = as[0]!;
  if (as.length === 1 && !Object.hasOwn(parsed, first)) {
    const close = line.lastIndexOf('}');
    const empty = line.charCodeAt(lastNonSpaceBefore(line, close)) === 0x7b;
    return `${line.slice(0, close)}${empty ? '' : ','}${nestedMember(as, answerText)}${line.slice(close)}`;
  }
  // The member exists, or `as` is nested: walk the text.
  let object = scanObject(line, skipWhitespace(line, 0));
  for (let i = 0; i < as.length; i++) {
    const member = lastMember(object, as[i]!);
    if (!member) {
      const sep = object.members.length === 0 ? '' : ',';
      return `${line.slice(0, object.close)}${sep}${nestedMember(as.slice(i), answerText)}${line.slice(object.close)}`;
    }
    if (i === as.length - 1) return `${line.slice(0, member.valueStart)}${answerText}${line.slice(member.valueEnd)}`;
    if (line.charCodeAt(member.valueStart) !== 0x7b) {
      throw new SpliceError(`cannot add the answer under "${formatFieldPath(as)}": "${formatFieldPath(as.slice(0, i + 1))}" is not an object`);
    }
    object = scanObject(line, member.valueStart);
  }
  throw new SpliceError('as must name at least one member');
}

/** Offset of the last non-whitespace character before `end` (the `{` of an empty object). */
function lastNonSpaceBefore(text: string, end: number): number {
  let i = end - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i--;
  return i;
}
