import { formatBlueprintRef } from '@provisionhub/plugin-provisionhub-common';
import path from 'node:path';
import { PermanentError } from '../errors';
import { fetchBranch, initRepository } from '../git/commits';
import { mergeRenders } from '../git/mergeRenders';
import { git } from '../git/runGit';
import { runTrailer } from '../git/commits';
import type { StepFunction } from './types';
import { conflictsOf, upgradeCommitMessage } from './upgradeText';

/**
 * Step `merge` (upgrade runs): fetches the component's default branch and applies the change
 * from the current blueprint version (rendered with the recorded values) to the target version
 * (rendered with the new values) as a three-way merge, committed on top of the branch's head
 * with conflict markers where both sides changed a file. When the upgrade branch already holds
 * this run's commit (an earlier delivery pushed it), nothing is merged again.
 */
export const merge: StepFunction = async (job, helpers) => {
  const { provider, state, workspace, git: gitOptions, logger } = helpers;
  const upgrade = job.upgrade!;
  const repository = await provider.findRepository(job.repository.path);
  if (!repository) {
    throw new PermanentError(
      `the repository of ${job.run.entityRef} (${job.repository.path}) does not exist any more; there is nothing to upgrade`,
    );
  }
  state.repository = repository;
  const options = {
    env: repository.gitEnv,
    secrets: helpers.secrets,
    signal: helpers.signal,
  };
  const dir = path.join(workspace, 'upgrade');
  const defaultBranch = gitOptions.defaultBranch;
  await initRepository(dir, defaultBranch, options);
  const head = await fetchBranch(
    dir,
    repository.cloneUrl,
    defaultBranch,
    options,
  );
  if (!head) {
    throw new PermanentError(
      `${repository.webUrl} has no branch ${defaultBranch}; an upgrade is merged onto the default branch`,
    );
  }

  const existing = await fetchBranch(
    dir,
    repository.cloneUrl,
    upgrade.branch,
    options,
  );
  if (existing) {
    const mine = await git(
      [
        'rev-list',
        '-1',
        '--fixed-strings',
        `--grep=${runTrailer(job.runId)}`,
        existing,
      ],
      { ...options, cwd: dir },
    );
    if (!mine) {
      throw new PermanentError(
        `branch ${upgrade.branch} of ${repository.webUrl} exists and holds no commit of this run (an earlier upgrade may still wait for review); merge or delete that branch, then retry this run`,
      );
    }
    const message = await git(['log', '-1', '--format=%B', mine], {
      ...options,
      cwd: dir,
    });
    state.upgrade = {
      dir,
      commit: mine,
      conflicts: conflictsOf(message),
      changed: true,
      pushed: true,
    };
    const detail = `${upgrade.branch} already holds ${mine.slice(
      0,
      12,
    )} of this run (pushed by an earlier attempt)`;
    logger.info(detail);
    return { status: 'skipped', detail };
  }

  const merged = await mergeRenders(
    dir,
    {
      base: state.baseRendered!,
      target: state.rendered!,
      targetLabel: formatBlueprintRef(job.blueprint),
    },
    head,
    {
      message: conflicts => upgradeCommitMessage(job, conflicts),
      author: gitOptions.author,
      date: job.requestedAt,
    },
    options,
  );
  state.upgrade = {
    dir,
    commit: merged.sha,
    conflicts: merged.conflicts,
    changed: merged.changed,
    pushed: false,
  };
  const detail = merged.changed
    ? `merged ${formatBlueprintRef(upgrade.from)} → ${formatBlueprintRef(
        job.blueprint,
      )} onto ${defaultBranch} (${head.slice(0, 12)}): ${
        merged.conflicts.length
          ? `${merged.conflicts.length} conflicted: ${merged.conflicts.join(
              ', ',
            )}`
          : 'no conflicts'
      }`
    : `${defaultBranch} already has every change of the upgrade; nothing to propose`;
  if (merged.conflicts.length) {
    logger.warn(detail);
  } else {
    logger.info(detail);
  }
  return { status: 'succeeded', detail };
};
