import { PermanentError } from '../errors';
import { fetchBranch, isAncestor, pushCommit } from '../git/commits';
import type { StepFunction } from './types';

/**
 * Step `push` of upgrade runs: pushes the upgrade commit to its own branch, never to the default
 * branch. A branch that holds the commit (maybe with commits people added to resolve conflicts)
 * is left as it is.
 */
export const pushBranch: StepFunction = async (job, helpers) => {
  const { state, logger } = helpers;
  const upgrade = state.upgrade!;
  const branch = job.upgrade!.branch;
  if (!upgrade.changed) {
    return {
      status: 'skipped',
      detail: `nothing to push: ${helpers.git.defaultBranch} already has every change`,
    };
  }
  if (upgrade.pushed) {
    return {
      status: 'skipped',
      detail: `${branch} already holds ${upgrade.commit.slice(0, 12)}`,
    };
  }
  const repository = state.repository!;
  const options = {
    env: repository.gitEnv,
    secrets: helpers.secrets,
    signal: helpers.signal,
  };
  const url = repository.cloneUrl;
  let outcome = await pushCommit(
    upgrade.dir,
    { url, sha: upgrade.commit, branch },
    options,
  );
  if (outcome === 'rejected') {
    // Someone created the branch since `merge` looked; it may hold this very commit.
    const head = await fetchBranch(upgrade.dir, url, branch, options);
    const holds =
      head &&
      (head === upgrade.commit ||
        (await isAncestor(upgrade.dir, upgrade.commit, head, options)));
    if (!holds) {
      throw new PermanentError(
        `branch ${branch} of ${repository.webUrl} was created by someone else while the upgrade was merged; delete it and retry this run`,
      );
    }
    outcome = 'up-to-date';
  }
  upgrade.pushed = true;
  const short = upgrade.commit.slice(0, 12);
  const detail =
    outcome === 'up-to-date'
      ? `${branch} already holds ${short}`
      : `pushed ${short} to ${branch} of ${repository.webUrl}`;
  logger.info(detail);
  return { status: outcome === 'up-to-date' ? 'skipped' : 'succeeded', detail };
};
