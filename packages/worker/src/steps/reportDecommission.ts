import type { StepFunction } from './types';

/**
 * Step `report` of decommission runs: the repository and whether it is archived; no entity,
 * since the control plane removes it from the catalog.
 */
export const reportDecommission: StepFunction = async (
  job,
  { state, git, logger },
) => {
  const repoUrl = state.repository?.webUrl ?? job.repository.path;
  state.outputs = {
    repoUrl,
    defaultBranch: git.defaultBranch,
    entityRef: job.run.entityRef,
    archived: state.archived ?? false,
  };
  const detail = `${job.run.entityRef} decommissioned; ${
    state.archived ? `${repoUrl} is archived` : 'its repository was gone'
  }`;
  logger.info(detail);
  return { status: 'succeeded', detail };
};
