import type { ProvisionHubApi } from '@provisionhub/plugin-provisionhub-common';
import { Connection, connect } from './connection';
import { CliError, EXIT, toCliError } from './errors';
import { Io, Output } from './output';

/** The options every command takes. */
export interface GlobalOptions {
  url?: string;
  json?: boolean;
  color?: boolean;
}

/**
 * What a command runs with: its output, and the portal connection, made when first needed
 * (`login` and `--help` need none).
 */
export class CommandContext {
  readonly out: Output;
  readonly io: Io;
  readonly globals: GlobalOptions;
  #connection: Promise<Connection> | undefined;

  constructor(io: Io, globals: GlobalOptions) {
    this.io = io;
    this.globals = globals;
    this.out = new Output(io, {
      json: Boolean(globals.json),
      color: globals.color,
    });
  }

  connection(): Promise<Connection> {
    this.#connection ??= connect({ url: this.globals.url, env: this.io.env });
    return this.#connection;
  }

  /** Calls the API; a failure becomes a {@link CliError} that says what to do about it. */
  async call<T>(fn: (api: ProvisionHubApi) => Promise<T>): Promise<T> {
    const connection = await this.connection();
    try {
      return await fn(connection.api);
    } catch (error) {
      const failure = toCliError(error, connection.target);
      if (failure.statusCode === 401 && connection.tokenSource === 'none') {
        throw new CliError(
          `${connection.target} needs a token and none was found: sign in with \`provisionhub login --url ${connection.target}\`, or set PROVISIONHUB_TOKEN (CI)`,
          EXIT.usage,
          { statusCode: 401, name: 'AuthenticationError' },
        );
      }
      throw failure;
    }
  }
}
