import type { StepFunction } from './types';

/**
 * Step `create-repository`: creates the run's repository at `job.repository.path`, or reuses the
 * one an earlier delivery of this run created (marker in its description). A path that belongs
 * to anything else fails the run permanently.
 */
export const createRepository: StepFunction = async (
  job,
  { provider, git, state, logger },
) => {
  const result = await provider.ensureRepository({
    path: job.repository.path,
    description: job.repository.description,
    runId: job.runId,
    defaultBranch: git.defaultBranch,
    topics: ['provisionhub', job.blueprint.name, job.run.kind],
  });
  state.repository = result.repository;
  state.repositoryOutcome = result.outcome;
  logger.info(result.detail);
  return {
    status: result.outcome === 'reused' ? 'skipped' : 'succeeded',
    detail: result.detail,
  };
};
