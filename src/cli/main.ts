/**
 * The `sagemaker-rx` program: finds the command, parses its arguments, runs it, and turns every
 * outcome into an exit code (table in `exit-codes.ts`). Library logic lives in the library; the
 * commands parse, call it, and print.
 *
 * Start-up cost is kept to what the words on the line need: the command modules imported here
 * are option tables, each loading what it runs only when it runs, and the error report (which
 * needs the library's error types) is loaded only for an error that is not a usage mistake. So
 * `--help`, `--version` and a usage error load neither rxjs, undici, the client nor the emulator.
 */
import type { CliIo } from './cli-io.js';
import { parseCommandArgs, renderCommandHelp, usageLine, type Command } from './args/command.js';
import { demoCommand } from './commands/demo.js';
import { emulatorCommand } from './commands/emulator.js';
import { enrichCommand } from './commands/enrich.js';
import { invokeCommand } from './commands/invoke.js';
import { EXIT_CODES } from './output/exit-codes.js';
import { packageVersion } from './package-info.js';
import { isUsageError, UsageError } from './args/usage-error.js';

/** The commands, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [invokeCommand, enrichCommand, emulatorCommand, demoCommand];

const helpCommand: Command = {
  name: 'help',
  summary: 'Show help for the program or for one command.',
  synopsis: '[command]',
  positionals: ['command'],
  requiredPositionals: 0,
  options: [],
  async run(args, io) {
    const [name] = args.positionals;
    if (name === undefined) {
      io.stdout.write(programHelp());
      return EXIT_CODES.ok;
    }
    const command = findCommand(name);
    if (!command) throw new UsageError(`unknown command '${name}'`);
    io.stdout.write(renderCommandHelp(command));
    return EXIT_CODES.ok;
  },
};

function findCommand(name: string): Command | undefined {
  return [...COMMANDS, helpCommand].find((c) => c.name === name);
}

/** The program's `--help`: the commands and the global options. */
export function programHelp(): string {
  const width = Math.max(...[...COMMANDS, helpCommand].map((c) => c.name.length)) + 3;
  return [
    'usage: sagemaker-rx <command> [options]',
    '',
    'A reactive client for the Amazon SageMaker Runtime API: invoke endpoints, enrich JSON Lines',
    'streams, run a local emulator, and watch a demo of it all.',
    '',
    'Commands:',
    ...[...COMMANDS, helpCommand].map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Options:',
    '  -h, --help     Show this help (or `sagemaker-rx <command> --help` for a command).',
    '  -v, --version  Print the version.',
    '',
    'Credentials and region come from --region/--profile/--endpoint-url and the environment, as',
    'with the AWS CLI (AWS_REGION, AWS_PROFILE, AWS_ACCESS_KEY_ID, shared files, SSO, IMDS).',
    'Exit codes: 0 ok, 1 a call or a record failed, 2 bad usage or invalid request, 130/143 signal.',
    '',
  ].join('\n');
}

/**
 * Runs `sagemaker-rx` with `argv` (the words after the program name) and resolves with the exit
 * code. Never throws: every error is printed on stderr.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  let command: Command | undefined;
  try {
    if (first === undefined) {
      io.stderr.write(programHelp());
      return EXIT_CODES.usage;
    }
    if (first === '--help' || first === '-h') {
      io.stdout.write(programHelp());
      return EXIT_CODES.ok;
    }
    if (first === '--version' || first === '-v') {
      io.stdout.write(`${packageVersion()}\n`);
      return EXIT_CODES.ok;
    }
    if (first.startsWith('-')) throw new UsageError(`unknown option '${first}' (options go after the command)`);
    command = findCommand(first);
    if (!command) throw new UsageError(`unknown command '${first}'`);
    let args;
    try {
      args = parseCommandArgs(command, rest);
    } catch (err) {
      // `--help` wins over any other mistake on the line.
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout.write(renderCommandHelp(command));
        return EXIT_CODES.ok;
      }
      throw err;
    }
    if (args.values.help) {
      io.stdout.write(renderCommandHelp(command));
      return EXIT_CODES.ok;
    }
    return await command.run(args, io);
  } catch (err) {
    if (isUsageError(err)) {
      const c = err.command ? findCommand(err.command) : command;
      io.stderr.write(`sagemaker-rx: ${err.message}\n`);
      io.stderr.write(
        c
          ? `${usageLine(c)}\nRun 'sagemaker-rx ${c.name} --help' for the options.\n`
          : `usage: sagemaker-rx <command> [options]\ncommands: ${[...COMMANDS, helpCommand].map((x) => x.name).join(', ')}\nRun 'sagemaker-rx --help' for more.\n`,
      );
      return EXIT_CODES.usage;
    }
    const { errorLine, exitCodeFor } = await import('./output/error-report.js');
    io.stderr.write(`sagemaker-rx${command ? ` ${command.name}` : ''}: ${errorLine(err)}\n`);
    if (io.env.SAGEMAKER_RX_DEBUG && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    return exitCodeFor(err);
  }
}
