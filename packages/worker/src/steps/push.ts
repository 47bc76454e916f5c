import { formatBlueprintRef } from '@provisionhub/plugin-provisionhub-common';
import type { JobMessage } from '@provisionhub/plugin-provisionhub-common';
import path from 'node:path';
import { PermanentError } from '../errors';
import {
  PushOutcome,
  fetchBranch,
  isAncestor,
  pushCommit,
  runTrailer,
} from '../git/commits';
import {
  importCommit,
  initScratchRepository,
  readBranch,
} from '../git/fastImport';
import type { GitCommandOptions } from '../git/runGit';
import type { StepFunction, StepHelpers } from './types';

/**
 * Step `push`: commits the rendered files to the default branch. The commit is deterministic
 * (author and committer date = the run's `requestedAt`, a `ProvisionHub-Run` trailer), so every
 * delivery makes the same hash; when the branch already holds it, the step reports `skipped`.
 * A branch with commits this run did not make is never overwritten.
 *
 * Remote repositories: the commit is built in a scratch repository and pushed with `git push`.
 * A bare repository on this machine: the same commit is written into it directly, with the same
 * "only create the branch" rule (one git process instead of a push's five).
 */
export const push: StepFunction = async (job, helpers) => {
  const { state, provider, logger } = helpers;
  const repository = state.repository!;
  const branch = helpers.git.defaultBranch;
  const options = {
    env: repository.gitEnv,
    secrets: helpers.secrets,
    signal: helpers.signal,
  };

  const { sha, outcome } = repository.localPath
    ? await commitLocally(repository.localPath, job, branch, helpers, options)
    : await commitAndPush(job, branch, helpers, options);
  state.commit = sha;
  if (outcome === 'rejected') {
    throw new PermanentError(
      `branch ${branch} of ${repository.webUrl} holds commits that this run did not make; the repository belongs to something else`,
    );
  }
  await provider.afterPush(repository, branch);

  const short = sha.slice(0, 12);
  const detail =
    outcome === 'up-to-date'
      ? `${branch} already holds ${short} (pushed by an earlier attempt)`
      : `pushed ${short} to ${branch} of ${repository.webUrl}`;
  logger.info(detail);
  return { status: outcome === 'up-to-date' ? 'skipped' : 'succeeded', detail };
};

type Result = Promise<{ sha: string; outcome: PushOutcome }>;

async function commitAndPush(
  job: JobMessage,
  branch: string,
  { state, workspace, git }: StepHelpers,
  options: GitCommandOptions,
): Result {
  const url = state.repository!.cloneUrl;
  const scratch = path.join(workspace, 'commit.git');
  await initScratchRepository(scratch, options);
  const { sha } = await importCommit(
    scratch,
    state.rendered!,
    initialCommit(job, git.author),
    branch,
    options,
  );
  const outcome = await pushCommit(scratch, { url, sha, branch }, options);
  if (outcome !== 'rejected') {
    return { sha, outcome };
  }
  const head = await fetchBranch(scratch, url, branch, options);
  return { sha, outcome: await holds(scratch, head, sha, options) };
}

async function commitLocally(
  gitDir: string,
  job: JobMessage,
  branch: string,
  { state, git }: StepHelpers,
  options: GitCommandOptions,
): Result {
  // A repository this delivery created cannot hold the branch yet; only a reused one may.
  const before =
    state.repositoryOutcome === 'reused'
      ? await readBranch(gitDir, branch, options)
      : undefined;
  const { sha, branchUpdated } = await importCommit(
    gitDir,
    state.rendered!,
    initialCommit(job, git.author),
    branch,
    options,
  );
  if (!branchUpdated) {
    const head = await readBranch(gitDir, branch, options);
    return { sha, outcome: await holds(gitDir, head, sha, options) };
  }
  return { sha, outcome: before === sha ? 'up-to-date' : 'pushed' };
}

/** Whether a branch that already existed holds the run's commit (maybe with later ones). */
async function holds(
  gitDir: string,
  head: string | undefined,
  sha: string,
  options: GitCommandOptions,
): Promise<PushOutcome> {
  if (
    head &&
    (head === sha || (await isAncestor(gitDir, sha, head, options)))
  ) {
    return 'up-to-date';
  }
  return 'rejected';
}

function initialCommit(job: JobMessage, author: StepHelpers['git']['author']) {
  return {
    author,
    date: job.requestedAt,
    message: [
      `Create ${job.run.entityRef} from blueprint ${formatBlueprintRef(
        job.blueprint,
      )}`,
      '',
      `Requested by ${job.requestedBy}.`,
      '',
      runTrailer(job.runId),
    ].join('\n'),
  };
}
