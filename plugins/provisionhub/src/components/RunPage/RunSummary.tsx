import {
  InfoCard,
  Link,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Run,
  formatBlueprintRef,
} from '@provisionhub/plugin-provisionhub-common';
import { systemRouteRef } from '../../routes';
import {
  formatDuration,
  formatTimestamp,
  runDurationMs,
} from '../../utils/format';

/** What was asked for, by whom, from which blueprint, and what came out of it. */
export function RunSummary(props: { run: Run }) {
  const { run } = props;
  const systemLink = useRouteRef(systemRouteRef);
  const metadata: Record<string, unknown> = {
    Kind: run.kind,
    Name: run.name,
    Owner: <EntityRefLink entityRef={run.owner} />,
  };
  if (run.system) {
    metadata.System = (
      <Link to={systemLink({ name: run.system })}>{run.system}</Link>
    );
  }
  if (run.upgrade) {
    metadata['Upgrade from'] = formatBlueprintRef(run.upgrade.from);
    metadata.Branch = run.upgrade.branch;
    metadata['Changed values'] = run.upgrade.changedValues.length
      ? run.upgrade.changedValues
          .map(
            c =>
              `${c.key}: ${
                c.from === undefined ? '(unset)' : JSON.stringify(c.from)
              } → ${c.to === undefined ? '(unset)' : JSON.stringify(c.to)}`,
          )
          .join('; ')
      : 'none';
  }
  if (run.outputs?.mergeRequestUrl) {
    metadata['Merge request'] = (
      <Link to={run.outputs.mergeRequestUrl}>
        {run.outputs.mergeRequestUrl}
      </Link>
    );
  }
  Object.assign(metadata, {
    Blueprint: formatBlueprintRef(run.blueprint),
    Digest: run.blueprint.digest,
    'Requested by': <EntityRefLink entityRef={run.requestedBy} />,
    Requested: formatTimestamp(run.createdAt),
    Started: formatTimestamp(run.startedAt),
    Finished: formatTimestamp(run.finishedAt),
    Duration: formatDuration(
      runDurationMs(run, run.finishedAt ? undefined : Date.now()),
    ),
    Attempt: String(run.attempt),
    Repository: run.outputs?.repoUrl ? (
      <Link to={run.outputs.repoUrl}>{run.outputs.repoUrl}</Link>
    ) : (
      'not created yet'
    ),
    'Catalog entity': run.outputs?.entityRef ? (
      <EntityRefLink entityRef={run.outputs.entityRef} />
    ) : (
      `${run.entityRef} (not registered yet)`
    ),
  });
  return (
    <InfoCard title="Run">
      <StructuredMetadataTable metadata={metadata} />
    </InfoCard>
  );
}
