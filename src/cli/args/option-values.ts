/**
 * Reads typed values out of parsed options, with a `UsageError` naming the option and the rule
 * when a value is wrong.
 */
import type { ParsedArgs } from './command.js';
import { UsageError } from './usage-error.js';

/** The string value of an option, or undefined when absent. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** Whether a boolean option was given. */
export function flagOption(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** Range rules for a numeric option. */
export interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
}

/** A number option, checked against `rule`; undefined when absent. */
export function numberOption(args: ParsedArgs, name: string, rule: NumberRule = {}, command?: string): number | undefined {
  const raw = stringOption(args, name);
  if (raw === undefined) return undefined;
  const n = raw.trim() === '' ? NaN : Number(raw);
  const { min, max, integer = false } = rule;
  const kind = integer ? 'an integer' : 'a number';
  const range = [min !== undefined ? `>= ${min}` : '', max !== undefined ? `<= ${max}` : ''].filter(Boolean).join(' and ');
  const ok = Number.isFinite(n) && (!integer || Number.isInteger(n)) && (min === undefined || n >= min) && (max === undefined || n <= max);
  if (!ok) throw new UsageError(`--${name} must be ${kind}${range ? ` ${range}` : ''}, got '${raw}'`, command);
  return n;
}

/** A string option whose value must be one of `choices`; undefined when absent. */
export function choiceOption<C extends string>(args: ParsedArgs, name: string, choices: readonly C[], command?: string): C | undefined {
  const raw = stringOption(args, name);
  if (raw === undefined) return undefined;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got '${raw}'`, command);
  }
  return raw as C;
}
