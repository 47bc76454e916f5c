import type { JobMessage } from '@provisionhub/plugin-provisionhub-common';
import type { StepFunction } from './types';

/**
 * Step `archive` (decommission runs): archives the entity's repository through the Git provider
 * (GitLab and GitHub archive it; plain git gets a final commit adding `DECOMMISSIONED.md`). A
 * repository that is gone already leaves nothing to archive: the step is skipped with a warning
 * and the decommission goes on, since the entity is retired either way.
 */
export const archive: StepFunction = async (job, helpers) => {
  const { provider, state, logger, git: gitOptions } = helpers;
  const repository = await provider.findRepository(job.repository.path);
  if (!repository) {
    state.archived = false;
    const detail = `the repository of ${job.run.entityRef} (${job.repository.path}) does not exist any more; there is nothing to archive`;
    logger.warn(detail);
    return { status: 'skipped', detail };
  }
  state.repository = repository;
  const result = await provider.archiveRepository({
    repository,
    defaultBranch: gitOptions.defaultBranch,
    notice: decommissionNotice(job),
    runId: job.runId,
    author: gitOptions.author,
    date: job.requestedAt,
    workspace: helpers.workspace,
    signal: helpers.signal,
  });
  state.archived = true;
  logger.info(result.detail);
  return {
    status: result.outcome === 'archived' ? 'succeeded' : 'skipped',
    detail: result.detail,
  };
};

/**
 * `DECOMMISSIONED.md`: what was retired, by whom, when, why and by which run. Only what the job
 * pinned goes in, so every attempt writes the same file.
 */
export function decommissionNotice(job: JobMessage): string {
  const reason = job.decommission?.reason?.trim();
  return [
    '# Decommissioned',
    '',
    `${job.run.entityRef} was decommissioned through ProvisionHub. This repository is kept for its history and is no longer maintained; the entity has left the software catalog.`,
    '',
    `- Run: ${job.runId}`,
    `- Requested by: ${job.requestedBy}`,
    `- Requested at: ${job.requestedAt}`,
    `- Blueprint: ${job.blueprint.name}@${job.blueprint.version}`,
    '',
    '## Reason',
    '',
    reason
      ? reason
          .split(/\r?\n/)
          .map(line => `> ${line}`.trimEnd())
          .join('\n')
      : '(none given)',
    '',
  ].join('\n');
}
