import { TransientError } from '../errors';
import type { GitAuthor } from '../config';
import { commitEnv, fetchBranch, initRepository, pushCommit } from './commits';
import { GitCommandOptions, git, runGit } from './runGit';

/** The file a decommission adds to a plain git repository. */
export const DECOMMISSION_NOTICE_FILE = 'DECOMMISSIONED.md';

/**
 * Adds `DECOMMISSIONED.md` to the head of `branch` of `url` in one commit that changes nothing
 * else, and pushes it. A branch whose head already has the file (an earlier delivery, or another
 * decommission) is left alone. The commit's author and date are fixed, so every attempt makes
 * the same commit and a push that an earlier attempt made is `up-to-date`.
 * @returns `already-archived` when nothing had to be written
 */
export async function commitDecommissionNotice(
  dir: string,
  target: { url: string; webUrl: string; branch: string },
  commit: { notice: string; message: string; author: GitAuthor; date: string },
  options: GitCommandOptions,
): Promise<'archived' | 'already-archived'> {
  const run = { ...options, cwd: dir };
  await initRepository(dir, target.branch, options);
  const head = await fetchBranch(dir, target.url, target.branch, options);
  if (
    head &&
    (
      await runGit(
        ['cat-file', '-e', `${head}:${DECOMMISSION_NOTICE_FILE}`],
        run,
      )
    ).code === 0
  ) {
    return 'already-archived';
  }
  if (head) {
    await git(['read-tree', head], run);
  }
  const blob = await git(['hash-object', '-w', '--stdin'], {
    ...run,
    input: Buffer.from(commit.notice, 'utf8'),
  });
  await git(
    [
      'update-index',
      '--add',
      '--cacheinfo',
      `100644,${blob},${DECOMMISSION_NOTICE_FILE}`,
    ],
    run,
  );
  const tree = await git(['write-tree'], run);
  const sha = await git(
    ['commit-tree', tree, ...(head ? ['-p', head] : []), '-m', commit.message],
    {
      ...run,
      env: { ...options.env, ...commitEnv(commit.author, commit.date) },
    },
  );
  const outcome = await pushCommit(
    dir,
    { url: target.url, sha, branch: target.branch },
    options,
  );
  if (outcome === 'rejected') {
    // Someone pushed to the branch since it was fetched: the next attempt starts from their head.
    throw new TransientError(
      `${target.branch} of ${target.webUrl} moved while the decommission notice was committed; the next attempt adds it on top`,
    );
  }
  return 'archived';
}
