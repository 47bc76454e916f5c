import type { StepFunction } from './types';
import { mergeRequestDescription, upgradeTitle } from './upgradeText';

/**
 * Step `merge-request` (upgrade runs): opens the merge request of the upgrade branch, or finds
 * the one this run opened before. Plain git remotes have none: the branch is the result.
 */
export const openMergeRequest: StepFunction = async (job, helpers) => {
  const { state, provider, logger } = helpers;
  const upgrade = state.upgrade!;
  const branch = job.upgrade!.branch;
  if (!upgrade.changed) {
    return { status: 'skipped', detail: 'nothing to propose' };
  }
  const result = await provider.openMergeRequest({
    repository: state.repository!,
    sourceBranch: branch,
    targetBranch: helpers.git.defaultBranch,
    title: upgradeTitle(job),
    description: mergeRequestDescription(job, upgrade.conflicts),
    runId: job.runId,
  });
  if (!result) {
    return {
      status: 'skipped',
      detail: `${provider.type} remotes have no merge requests: branch ${branch} is the result`,
    };
  }
  upgrade.mergeRequestUrl = result.url;
  const detail =
    result.outcome === 'reused'
      ? `merge request ${result.url} (opened by an earlier attempt)`
      : `opened merge request ${result.url}`;
  logger.info(detail);
  return {
    status: result.outcome === 'reused' ? 'skipped' : 'succeeded',
    detail,
  };
};
