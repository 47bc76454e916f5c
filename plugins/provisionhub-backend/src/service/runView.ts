import type { Run } from '@provisionhub/plugin-provisionhub-common';
import type { RunRecord } from '../database/RunStore';

/**
 * The API's view of a stored run: what `ProvisionHubApi` promises, nothing internal.
 * @internal
 */
export function toApiRun(record: RunRecord, extra: Partial<Run> = {}): Run {
  const run: Run = {
    id: record.id,
    kind: record.kind,
    name: record.name,
    owner: record.owner,
    system: record.system,
    entityRef: record.entityRef,
    environment: record.environment,
    blueprint: record.blueprint,
    values: record.values,
    status: record.status,
    requestedBy: record.requestedBy,
    attempt: record.attempt,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    error: record.error,
    rejectionReason: record.rejectionReason,
    outputs: record.outputs,
    upgrade: record.upgrade && {
      from: {
        name: record.upgrade.from.name,
        version: record.upgrade.from.version,
        digest: record.upgrade.from.digest,
      },
      branch: record.upgrade.branch,
      changedValues: record.upgrade.changedValues,
    },
    decommission: record.decommission,
    promotion: record.deploy?.promote,
    policy: record.policy,
    approvalExpiresAt: record.approvalExpiresAt,
    ...extra,
  };
  return JSON.parse(JSON.stringify(run));
}
