import { PermanentError } from '../errors';
import type { GitAuthor } from '../config';
import { GitCommandOptions, git, gitError, runGit } from './runGit';

/**
 * Environment that fixes author, committer and both dates, so the same tree, parents and message
 * always give the same commit hash.
 */
export function commitEnv(
  author: GitAuthor,
  date: string,
): Record<string, string> {
  const time = Date.parse(date);
  if (Number.isNaN(time)) {
    throw new PermanentError(
      `the run's requestedAt '${date}' is not a valid timestamp`,
    );
  }
  const gitDate = `@${Math.floor(time / 1000)} +0000`;
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_AUTHOR_DATE: gitDate,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
    GIT_COMMITTER_DATE: gitDate,
  };
}

/**
 * Creates a scratch repository (not bare) in `dir`, which may already hold files. No template:
 * hooks never run in a workspace, so copying the sample hooks would only cost time.
 */
export async function initRepository(
  dir: string,
  branch: string,
  options: GitCommandOptions = {},
) {
  await git(
    ['init', '--quiet', '--template=', `--initial-branch=${branch}`, dir],
    options,
  );
}

/**
 * Stages everything under `paths` (ignore rules do not apply: every rendered file belongs in the
 * repository) and commits it on `parents`; returns the commit hash. HEAD is not moved.
 */
export async function commitFiles(
  dir: string,
  commit: {
    message: string;
    author: GitAuthor;
    date: string;
    parents: string[];
    paths?: string[];
  },
  options: GitCommandOptions = {},
): Promise<{ sha: string; tree: string }> {
  const run = { ...options, cwd: dir };
  await git(['add', '--all', '--force', '--', ...(commit.paths ?? ['.'])], run);
  const tree = await git(['write-tree'], run);
  const sha = await git(
    [
      'commit-tree',
      tree,
      ...commit.parents.flatMap(p => ['-p', p]),
      '-m',
      commit.message,
    ],
    {
      ...run,
      env: { ...options.env, ...commitEnv(commit.author, commit.date) },
    },
  );
  return { sha, tree };
}

/**
 * Fetches one branch (shallow when `depth` is set); resolves with its commit, or undefined when
 * the remote has no such branch (a new, empty repository).
 */
export async function fetchBranch(
  dir: string,
  url: string,
  branch: string,
  options: GitCommandOptions & { depth?: number } = {},
): Promise<string | undefined> {
  const args = [
    'fetch',
    '--quiet',
    '--no-tags',
    ...(options.depth ? [`--depth=${options.depth}`] : []),
    url,
    `refs/heads/${branch}`,
  ];
  const result = await runGit(args, { ...options, cwd: dir });
  if (result.code !== 0) {
    if (/couldn't find remote ref/i.test(result.stderr)) {
      return undefined;
    }
    throw gitError(args, result, options.secrets);
  }
  return git(['rev-parse', 'FETCH_HEAD'], { ...options, cwd: dir });
}

export async function isAncestor(
  dir: string,
  ancestor: string,
  descendant: string,
  options: GitCommandOptions = {},
): Promise<boolean> {
  const result = await runGit(
    ['merge-base', '--is-ancestor', ancestor, descendant],
    {
      ...options,
      cwd: dir,
    },
  );
  return result.code === 0;
}

/** @public */
export type PushOutcome = 'pushed' | 'up-to-date' | 'rejected';

/**
 * Pushes `sha` to `branch`. `up-to-date` when the branch already points at it (the push was done
 * by an earlier delivery), `rejected` when the branch holds other commits (also when another
 * push moved it while this one was being received: the caller reads the branch and decides).
 */
export async function pushCommit(
  dir: string,
  target: { url: string; sha: string; branch: string },
  options: GitCommandOptions = {},
): Promise<PushOutcome> {
  const args = [
    'push',
    '--porcelain',
    target.url,
    `${target.sha}:refs/heads/${target.branch}`,
  ];
  const result = await runGit(args, { ...options, cwd: dir });
  const line = result.stdout
    .split('\n')
    .find(
      l => /^[ +\-*!=]\t/.test(l) && l.includes(`refs/heads/${target.branch}`),
    );
  const flag = line?.[0];
  if (result.code === 0 && flag === '=') {
    return 'up-to-date';
  }
  if (result.code === 0 && flag !== undefined && flag !== '!') {
    return 'pushed';
  }
  if (
    flag === '!' &&
    /\[rejected\]|non-fast-forward|fetch first|failed to (update|lock) ref/.test(
      line ?? '',
    )
  ) {
    return 'rejected';
  }
  throw gitError(args, result, options.secrets);
}

/** The trailer that ties a commit to its run. */
export function runTrailer(runId: string): string {
  return `ProvisionHub-Run: ${runId}`;
}
