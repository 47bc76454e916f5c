import type { JobMessage } from '@provisionhub/plugin-provisionhub-common';
import { repositoryPathFor } from '@provisionhub/plugin-provisionhub-common';
import type { RunRecord } from '../database/RunStore';
import { entityKindOf } from './RunRequestValidator';

/**
 * The marker that tells a worker a repository was created for this run (see docs/design.md,
 * "Idempotent steps").
 * @internal
 */
export function repositoryMarker(runId: string) {
  return `[provisionhub run ${runId}]`;
}

/**
 * The job message of a run's current attempt, built only from what the run pinned.
 * @internal
 */
export function buildJobMessage(run: RunRecord): JobMessage {
  if (!run.blueprintJob) {
    throw new Error(
      `run ${run.id} has no pinned blueprint and cannot be executed`,
    );
  }
  const { lifecycle: _lifecycle, ...blueprint } = run.blueprintJob;
  // Day-2 runs (upgrade, decommission, promote) work on the entity they change.
  const kind =
    run.kind === 'system' || run.kind === 'component'
      ? run.kind
      : entityKindOf(run.entityRef);
  return {
    kind: 'job',
    version: 1,
    runId: run.id,
    attempt: run.attempt,
    maxAttempt: run.maxAttempt,
    requestedAt: run.requestedAt,
    requestedBy: run.requestedBy,
    run: {
      kind,
      name: run.name,
      owner: run.owner,
      ...(run.system ? { system: run.system } : {}),
      entityRef: run.entityRef,
      values: run.values,
    },
    blueprint,
    repository: {
      path: repositoryPathFor({ ...run, kind }),
      description: `${kind === 'system' ? 'System' : 'Component'} ${
        run.name
      }, from blueprint ${run.blueprint.name}@${
        run.blueprint.version
      } ${repositoryMarker(run.id)}`,
    },
    ...(run.upgrade ? { upgrade: run.upgrade } : {}),
    ...(run.kind === 'decommission'
      ? { decommission: run.decommission ?? {} }
      : {}),
    ...(run.deploy ? { deploy: run.deploy } : {}),
  };
}
