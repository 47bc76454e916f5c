import { Command, InvalidArgumentError } from 'commander';
import { CommandContext } from './context';
import { CliError } from './errors';
import type { Io } from './output';

/** The exit code of the command that ran. */
export interface ProgramState {
  exitCode: number;
}

/** What every command group registers itself with. */
export interface CommandEnv {
  io: Io;
  state: ProgramState;
}

/**
 * A commander action that runs `handler` with a {@link CommandContext} and records its exit code.
 * An expected failure ({@link CliError}) is printed as one line, without a stack trace; with
 * `--json` standard output also gets `{"error": {...}}`, so it always holds JSON.
 */
export function action<TArgs extends unknown[]>(
  env: CommandEnv,
  handler: (ctx: CommandContext, ...args: TArgs) => Promise<number | void>,
) {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const ctx = new CommandContext(env.io, command.optsWithGlobals());
    try {
      env.state.exitCode =
        (await handler(ctx, ...(args.slice(0, -1) as TArgs))) ?? 0;
    } catch (error) {
      if (!(error instanceof CliError)) {
        throw error;
      }
      ctx.out.error(`provisionhub: ${error.message}`);
      if (ctx.out.json) {
        ctx.out.result({
          error: {
            name: error.name,
            message: error.message,
            ...(error.statusCode ? { statusCode: error.statusCode } : {}),
            exitCode: error.exitCode,
          },
        });
      }
      env.state.exitCode = error.exitCode;
    }
  };
}

/** Parses a whole positive number of an option (milliseconds, minutes, a page size). */
export function positiveNumber(name: string) {
  return (value: string) => {
    const number = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || !(number > 0)) {
      throw new InvalidArgumentError(`${name} must be a positive number.`);
    }
    return number;
  };
}
