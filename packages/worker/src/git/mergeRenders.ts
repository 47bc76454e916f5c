import path from 'node:path';
import type { GitAuthor } from '../config';
import { commitEnv } from './commits';
import { ImportedFile, importCommit } from './fastImport';
import { GitCommandOptions, git, gitError, runGit } from './runGit';

/** @public */
export interface MergedRenders {
  /** The commit on top of `onto`. */
  sha: string;
  /** Files git could not merge, committed with conflict markers (or, for binaries, as `onto` has them). */
  conflicts: string[];
  /** False when `onto` already holds every change from the base render to the target. */
  changed: boolean;
}

/**
 * Applies the change between two renders of a blueprint to commit `onto` with git's own merge
 * machinery: the base render is committed as a root commit, the target render on top of it, and
 * that commit is cherry-picked onto `onto` (a three-way merge whose ancestor is the base render).
 * Changes made in the repository since it was created survive; files both sides changed
 * differently are conflicts. The result is committed with conflict markers, so a person resolves
 * them in the merge request. Same inputs give the same commit hash.
 *
 * @param dir - a non-bare scratch repository that holds `onto`
 */
export async function mergeRenders(
  dir: string,
  renders: {
    base: readonly ImportedFile[];
    target: readonly ImportedFile[];
    /** Names the sides in conflict markers, e.g. `node-backend@1.1.0`. */
    targetLabel: string;
  },
  onto: string,
  commit: {
    message: (conflicts: string[]) => string;
    author: GitAuthor;
    date: string;
  },
  options: GitCommandOptions = {},
): Promise<MergedRenders> {
  const gitDir = path.join(dir, '.git');
  const meta = { author: commit.author, date: commit.date };
  const base = await importCommit(
    gitDir,
    renders.base,
    { ...meta, message: 'The component as its blueprint version rendered it' },
    'provisionhub-base',
    options,
  );
  const target = await importCommit(
    gitDir,
    renders.target,
    { ...meta, message: renders.targetLabel, parent: base.sha },
    'provisionhub-target',
    options,
  );
  const run = { ...options, cwd: dir };
  await git(['checkout', '--quiet', '--detach', onto], run);
  const args = ['cherry-pick', '--no-commit', target.sha];
  const picked = await runGit(args, {
    ...run,
    env: { ...options.env, ...commitEnv(commit.author, commit.date) },
  });
  const conflicts = (
    await git(['diff', '--name-only', '-z', '--diff-filter=U'], run)
  )
    .split('\0')
    .filter(Boolean);
  // Exit 1 with unmerged paths is a conflicted merge; anything else is a failure of git.
  if (picked.code !== 0 && !(picked.code === 1 && conflicts.length)) {
    throw gitError(args, picked, options.secrets);
  }
  await git(['add', '--all', '--force', '--', '.'], run);
  const tree = await git(['write-tree'], run);
  const changed = tree !== (await git(['rev-parse', `${onto}^{tree}`], run));
  const sha = await git(
    ['commit-tree', tree, '-p', onto, '-m', commit.message(conflicts)],
    {
      ...run,
      env: { ...options.env, ...commitEnv(commit.author, commit.date) },
    },
  );
  return { sha, conflicts, changed };
}
