/**
 * The shape of a CLI command and the one place arguments are parsed: `node:util` `parseArgs`
 * driven by a table of option specs, which also renders the command's `--help`.
 */
import { parseArgs } from 'node:util';
import type { CliIo } from '../cli-io.js';
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
  /**
   * A string option that may also be given bare (`--adaptive`): then it takes this value. A value
   * must then be attached (`--adaptive=rate`) or be one of `choices` (`--adaptive rate`).
   */
  bareValue?: string;
  /** The values a `bareValue` option accepts as a separate word. */
  choices?: readonly string[];
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
    parsed = parseArgs({ args: withBareValues(command, argv), options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(parseErrorMessage(err), command.name);
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

/** Rewrites a bare `--opt` of a `bareValue` option to `--opt=<bareValue>` (parseArgs has no optional values). */
function withBareValues(command: Command, argv: string[]): string[] {
  const bare = new Map<string, OptionSpec>(command.options.filter((o) => o.bareValue !== undefined).map((o) => [`--${o.name}`, o] as const));
  if (bare.size === 0) return argv;
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const spec = bare.get(word);
    if (!spec) {
      out.push(word);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && spec.choices?.includes(next)) {
      out.push(`${word}=${next}`);
      i++;
    } else out.push(`${word}=${spec.bareValue}`);
  }
  return out;
}

/** One short sentence for a parseArgs error, by its code (its own text suggests `--` tricks that do not apply). */
function parseErrorMessage(err: unknown): string {
  const { code, message = '' } = (err ?? {}) as { code?: string; message?: string };
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${option ?? message}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(message) ? `${option} takes no value` : `${option} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument${option ? ` '${option}'` : ''}`;
    default:
      return message.split('\n')[0] ?? 'bad arguments';
  }
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
