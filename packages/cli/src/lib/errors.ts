import { ResponseError } from '@backstage/errors';

/**
 * Exit codes a CI job can rely on.
 * @public
 */
export const EXIT = {
  /** The command did what it was asked; a followed run succeeded. */
  ok: 0,
  /** The portal said no or the run did not succeed: failed, rejected, cancelled, denied by policy or permissions, a conflict, or no end within the timeout. */
  failed: 1,
  /** The command could not be carried out as given: usage, bad input, unknown names, no or a wrong token, the portal unreachable or failing. */
  usage: 2,
  /** Stopped with Ctrl-C (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;

/**
 * An expected failure: its message is printed as is (no stack trace) and the program exits with
 * `exitCode`.
 * @public
 */
export class CliError extends Error {
  readonly exitCode: number;
  /** The HTTP status the portal answered with, when it did. */
  readonly statusCode?: number;

  constructor(
    message: string,
    exitCode: number,
    options: { statusCode?: number; name?: string } = {},
  ) {
    super(message);
    this.name = options.name ?? 'CliError';
    this.exitCode = exitCode;
    this.statusCode = options.statusCode;
  }
}

/** What a status of the control plane means for the caller, and the exit code it gives. */
function explainStatus(status: number, message: string, target: string) {
  switch (status) {
    case 400:
      return {
        exitCode: EXIT.usage,
        message: `invalid request: ${message}`,
      };
    case 401:
      return {
        exitCode: EXIT.usage,
        message: `${target} did not accept the credentials (${message}): sign in with \`provisionhub login\`, or set PROVISIONHUB_TOKEN to a token the portal accepts (backend.auth.externalAccess)`,
      };
    case 403:
      return { exitCode: EXIT.failed, message: `denied: ${message}` };
    case 404:
      return { exitCode: EXIT.usage, message: `not found: ${message}` };
    case 409:
      return { exitCode: EXIT.failed, message: `refused: ${message}` };
    case 413:
      return {
        exitCode: EXIT.usage,
        message: `the request is too large: ${message}`,
      };
    default:
      return {
        exitCode: EXIT.usage,
        message: `${target} failed to answer (HTTP ${status}): ${message}`,
      };
  }
}

/**
 * Turns what a call to the portal threw into a {@link CliError} with a message for people and
 * the exit code; `target` names the portal (its URL, without credentials).
 * @public
 */
export function toCliError(error: unknown, target: string): CliError {
  if (error instanceof CliError) {
    return error;
  }
  if (ResponseError.is(error)) {
    const message =
      error.cause?.message && error.cause.message !== error.message
        ? error.cause.message
        : error.statusText || error.message;
    const explained = explainStatus(error.statusCode, message, target);
    return new CliError(explained.message, explained.exitCode, {
      statusCode: error.statusCode,
      name: error.cause?.name,
    });
  }
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') {
    return new CliError(
      `${target} did not answer in time; check that it is up and reachable`,
      EXIT.usage,
      { name: 'ConnectionError' },
    );
  }
  if (err instanceof TypeError && err.cause) {
    // fetch failed: refused, unknown host, TLS, reset.
    return new CliError(
      `cannot reach ${target}: ${
        err.cause.message ?? err.cause.code ?? err.message
      }; check --url or PROVISIONHUB_URL`,
      EXIT.usage,
      { name: 'ConnectionError' },
    );
  }
  if (err instanceof SyntaxError) {
    return new CliError(
      `${target} answered something that is not the ProvisionHub API (${err.message}); check that the URL is the portal's backend, e.g. https://backstage.example.com`,
      EXIT.usage,
      { name: 'ConnectionError' },
    );
  }
  throw error;
}
