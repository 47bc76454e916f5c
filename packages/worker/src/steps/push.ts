import { formatBlueprintRef } from '@provisionhub/plugin-provisionhub-common';
import type { JobMessage } from '@provisionhub/plugin-provisionhub-common';
import { PermanentError } from '../errors';
import {
  commitFiles,
  fetchBranch,
  initRepository,
  isAncestor,
  pushCommit,
} from '../git/commits';
import type { StepFunction } from './types';

/**
 * Step `push`: commits the rendered files and pushes them to the default branch. The commit is
 * deterministic (author and committer date = the run's `requestedAt`, a `ProvisionHub-Run`
 * trailer), so every delivery makes the same hash; when the branch already holds it, the push
 * transfers nothing and the step reports `skipped`. A branch with commits this run did not
 * make is never overwritten.
 */
export const push: StepFunction = async (job, helpers) => {
  const { state, provider, logger, secrets, signal } = helpers;
  const repository = state.repository!;
  const dir = state.repoDir!;
  const branch = helpers.git.defaultBranch;
  const options = { env: repository.gitEnv, secrets, signal };

  await initRepository(dir, branch, options);
  const { sha } = await commitFiles(
    dir,
    {
      message: initialCommitMessage(job),
      author: helpers.git.author,
      date: job.requestedAt,
      parents: [],
    },
    options,
  );
  state.commit = sha;

  let outcome = await pushCommit(
    dir,
    { url: repository.cloneUrl, sha, branch },
    options,
  );
  if (outcome === 'rejected') {
    const remote = await fetchBranch(dir, repository.cloneUrl, branch, options);
    if (!remote || !(await isAncestor(dir, sha, remote, options))) {
      throw new PermanentError(
        `branch ${branch} of ${repository.webUrl} holds commits that this run did not make; the repository belongs to something else`,
      );
    }
    outcome = 'up-to-date';
  }
  await provider.afterPush(repository, branch);

  if (outcome === 'up-to-date') {
    const detail = `${branch} already holds ${sha.slice(
      0,
      12,
    )} (pushed by an earlier attempt)`;
    logger.info(detail);
    return { status: 'skipped', detail };
  }
  const detail = `pushed ${sha.slice(0, 12)} to ${branch} of ${
    repository.webUrl
  }`;
  logger.info(detail);
  return { status: 'succeeded', detail };
};

/** The trailer that ties a commit to its run. */
export function runTrailer(runId: string): string {
  return `ProvisionHub-Run: ${runId}`;
}

function initialCommitMessage(job: JobMessage): string {
  return [
    `Create ${job.run.entityRef} from blueprint ${formatBlueprintRef(
      job.blueprint,
    )}`,
    '',
    `Requested by ${job.requestedBy}.`,
    '',
    runTrailer(job.runId),
  ].join('\n');
}
