import { redactSecrets } from '@provisionhub/plugin-provisionhub-node';
import { execFile } from 'node:child_process';
import { PermanentError, TransientError } from '../errors';

/** @public */
export interface GitCommandOptions {
  cwd?: string;
  /** Extra environment, e.g. commit dates or credentials as `GIT_CONFIG_*` (never in argv). */
  env?: Record<string, string>;
  signal?: AbortSignal;
  /** Redacted from error messages (git echoes URLs, and URLs may carry tokens). */
  secrets?: readonly string[];
  /** Written to git's standard input. */
  input?: Buffer;
}

/** @public */
export interface GitCommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * What git's own settings must not change: the commit a run makes has to be the same on every
 * machine, and a blueprint must never run code through hooks in the workspace.
 */
const PINNED_CONFIG = [
  '-c',
  'core.autocrlf=false',
  '-c',
  'core.safecrlf=false',
  '-c',
  'core.fileMode=true',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'commit.gpgSign=false',
  '-c',
  'tag.gpgSign=false',
  '-c',
  'advice.detachedHead=false',
  // An upgrade's merge result (conflict markers included) must not depend on the machine either.
  '-c',
  'merge.conflictStyle=merge',
  '-c',
  'rerere.enabled=false',
];

/** What git says when trying again cannot help: credentials, missing repositories, 4xx. */
const PERMANENT_STDERR =
  /authentication failed|returned error: (40[0134]|422)|permission denied|access denied|not found|does not appear to be a git repository|invalid username or password|terminal prompts disabled/i;

/**
 * Runs the git CLI without a shell. Resolves with the exit code and output; never throws for a
 * non-zero exit (see {@link git} for that).
 * @public
 */
export function runGit(
  args: string[],
  options: GitCommandOptions = {},
): Promise<GitCommandResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [...PINNED_CONFIG, ...args],
      {
        cwd: options.cwd,
        env: {
          ...process.env,
          GIT_TERMINAL_PROMPT: '0',
          GIT_ASKPASS: '',
          SSH_ASKPASS: '',
          LC_ALL: 'C',
          ...options.env,
        },
        maxBuffer: 64 * 1024 * 1024,
        signal: options.signal,
      },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        if (error && typeof code !== 'number') {
          // Not an exit status: git is missing, or the run was aborted.
          reject(
            error.name === 'AbortError'
              ? error
              : new PermanentError(
                  `cannot run git: ${redactSecrets(
                    error.message,
                    options.secrets ?? [],
                  )}`,
                ),
          );
          return;
        }
        resolve({ code: error ? (code as number) : 0, stdout, stderr });
      },
    );
    if (options.input) {
      // git may exit before reading everything (its exit status tells why); no EPIPE crash.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(options.input);
    }
  });
}

/**
 * Runs git and returns its trimmed stdout; a non-zero exit becomes a {@link TransientError} or
 * {@link PermanentError} with git's message, secrets redacted.
 * @public
 */
export async function git(
  args: string[],
  options: GitCommandOptions = {},
): Promise<string> {
  const result = await runGit(args, options);
  if (result.code !== 0) {
    throw gitError(args, result, options.secrets);
  }
  return result.stdout.trim();
}

/** The error for a failed git command, classified by what git said. */
export function gitError(
  args: string[],
  result: GitCommandResult,
  secrets: readonly string[] = [],
): Error {
  const said = (result.stderr.trim() || result.stdout.trim())
    .split('\n')
    .slice(-5)
    .join(' | ');
  const message = redactSecrets(
    `git ${args.find(a => !a.startsWith('-')) ?? ''} failed (exit ${
      result.code
    }): ${said}`,
    secrets,
  );
  // Anything else (network, 5xx, a lock held by a concurrent push) may pass when tried again.
  return PERMANENT_STDERR.test(said)
    ? new PermanentError(message)
    : new TransientError(message);
}
