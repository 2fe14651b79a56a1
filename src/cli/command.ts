/**
 * The shape of a CLI command and the one place arguments are parsed: `node:util` `parseArgs`
 * driven by a table of option specs, which also renders the command's `--help`.
 */
import { parseArgs } from 'node:util';
import type { CliIo } from './cli-io.js';
import { UsageError } from './usage-error.js';

/** One option of a command: how it parses and how `--help` describes it. */
export interface OptionSpec {
  /** The long name, without `--`. */
  name: string;
  type: 'string' | 'boolean';
  /** A one-letter alias, without `-`. */
  short?: string;
  /** The placeholder shown in help for a string option, e.g. `N`, `file`. */
  value?: string;
  /** What it does, one line. */
  description: string;
  /** The default, as shown in help. */
  default?: string;
  /** May be given more than once (values collected in order). */
  multiple?: boolean;
}

/** The parsed arguments of a command: option values by long name, and positionals. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** A command of `sagemaker-rx`. */
export interface Command {
  /** The word after `sagemaker-rx`. */
  name: string;
  /** One line for the program's help. */
  summary: string;
  /** The synopsis after `sagemaker-rx <name>`, e.g. `<endpoint> --body <text|@file> [options]`. */
  synopsis: string;
  /** Paragraphs shown after the synopsis in `--help`. */
  details?: string;
  /** Names of positional arguments, in order; more are rejected. */
  positionals: string[];
  /** How many positionals are required (the first N). @default positionals.length */
  requiredPositionals?: number;
  options: OptionSpec[];
  /** Runs the command and resolves with its exit code. Throws `UsageError` for argument mistakes. */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/** `--help`/`-h`, which every command takes. */
export const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', type: 'boolean', description: 'Show this help and exit.' };

/** Parses `argv` against the command's option table; every mistake becomes a `UsageError` naming it. */
export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const spec of [...command.options, HELP_OPTION]) {
    options[spec.name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\n/g, ' '), command.name);
  }
  const values = parsed.values as ParsedArgs['values'];
  if (values.help) return { values, positionals: parsed.positionals };
  const required = command.requiredPositionals ?? command.positionals.length;
  if (parsed.positionals.length < required) {
    throw new UsageError(`missing <${command.positionals[parsed.positionals.length]}>`, command.name);
  }
  if (parsed.positionals.length > command.positionals.length) {
    throw new UsageError(`unexpected argument '${parsed.positionals[command.positionals.length]}'`, command.name);
  }
  return { values, positionals: parsed.positionals };
}

/** The one-line usage of a command. */
export function usageLine(command: Command): string {
  return `usage: sagemaker-rx ${command.name} ${command.synopsis}`.trimEnd();
}

/** The `--help` text of a command: usage, details, and the option table. */
export function renderCommandHelp(command: Command): string {
  const rows = [...command.options, HELP_OPTION].map((o) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.type === 'string' ? ` <${o.value ?? 'value'}>` : ''}`;
    const more = [o.default !== undefined ? `(default: ${o.default})` : '', o.multiple ? '(repeatable)' : '']
      .filter(Boolean)
      .join(' ');
    return [flag, more ? `${o.description} ${more}` : o.description] as const;
  });
  const width = Math.min(42, Math.max(...rows.map(([flag]) => flag.length)) + 2);
  const table = rows
    .map(([flag, text]) => (flag.length + 2 > width ? `  ${flag}\n  ${' '.repeat(width)}${text}` : `  ${flag.padEnd(width)}${text}`))
    .join('\n');
  return [
    usageLine(command),
    '',
    command.summary,
    ...(command.details ? ['', command.details.trim()] : []),
    '',
    'Options:',
    table,
    '',
  ].join('\n');
}
