import { Command, CommanderError, Help, Option } from 'commander';
import { COMMAND_GROUPS } from './commands';
import type { ProgramState } from './lib/command';
import { EXIT } from './lib/errors';
import type { Io } from './lib/output';

// eslint-disable-next-line @backstage/no-relative-monorepo-imports
const { version } = require('../package.json') as { version: string };

/**
 * `-V, --version` of the program, answered by {@link main} only as the first argument: commander
 * would take a program option anywhere on the line, and `components promote --version <tag>`
 * needs the name.
 */
const VERSION_OPTION = new Option('-V, --version', 'output the version number');

/** Builds the `provisionhub` program; commands record their exit code in `state`. */
export function createProgram(io: Io, state: ProgramState): Command {
  const program: Command = new Command('provisionhub')
    .description(
      'ProvisionHub from a terminal or a CI pipeline: request systems and components from blueprints, follow runs, approve them.',
    )
    .configureHelp({
      visibleOptions: command => {
        const options = new Help().visibleOptions(command);
        return command === program ? [VERSION_OPTION, ...options] : options;
      },
    })
    .option(
      '--url <url>',
      "the portal backend's base URL (default: $PROVISIONHUB_URL)",
    )
    .option('--json', 'print results as JSON on standard output')
    .option('--no-color', 'no colours (also: NO_COLOR)')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: text => io.stdout.write(text),
      writeErr: text => io.stderr.write(text),
    })
    .addHelpText(
      'after',
      `
Environment:
  PROVISIONHUB_URL     the portal backend's base URL, e.g. https://backstage.example.com
  PROVISIONHUB_TOKEN   a token the portal accepts (backend.auth.externalAccess), for CI;
                       without it, the session of \`provisionhub login\` is used

Exit codes:
  0  done; a followed run succeeded
  1  failed, rejected, cancelled or denied (policy, permission, conflict), or no end in time
  2  usage or input errors, unknown names, no or a wrong token, the portal unreachable`,
    );
  const env = { io, state };
  for (const register of COMMAND_GROUPS) {
    register(program, env);
  }
  // Subcommands report usage errors the same way as the program.
  const configure = (command: Command) => {
    for (const sub of command.commands) {
      sub
        .exitOverride()
        .showHelpAfterError()
        .configureOutput({
          writeOut: text => io.stdout.write(text),
          writeErr: text => io.stderr.write(text),
        });
      configure(sub);
    }
  };
  configure(program);
  return program;
}

/**
 * The `provisionhub` program. Resolves with the exit code: 0 done (a followed run succeeded),
 * 1 failed/rejected/cancelled/denied, 2 usage or connection errors.
 * @public
 */
export async function main(
  argv: string[] = process.argv.slice(2),
  io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  if (argv[0] === '--version' || argv[0] === '-V') {
    io.stdout.write(`${version}\n`);
    return EXIT.ok;
  }
  const state: ProgramState = { exitCode: EXIT.ok };
  const program = createProgram(io, state);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help ends here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw error;
  }
  return state.exitCode;
}
