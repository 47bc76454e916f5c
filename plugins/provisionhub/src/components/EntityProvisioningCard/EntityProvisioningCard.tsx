import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_BLUEPRINT,
  ANNOTATION_RUN_ID,
  entitySignalChannel,
  formatBlueprintRef,
} from '@provisionhub/plugin-provisionhub-common';
import useAsync from 'react-use/esm/useAsync';
import { provisionHubApiRef } from '../../api';
import { useSignalVersion } from '../../hooks/useSignalVersion';
import { runRouteRef } from '../../routes';
import { formatTimestamp } from '../../utils/format';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { RunStatusLabel } from '../RunStatusLabel';

function ProvisioningSummary(props: { runId: string }) {
  const { runId } = props;
  const { entity } = useEntity();
  const api = useApi(provisionHubApiRef);
  const runLink = useRouteRef(runRouteRef);
  const version = useSignalVersion(
    entitySignalChannel(stringifyEntityRef(entity)),
  );
  const {
    value: run,
    loading,
    error,
  } = useAsync(
    () => api.getRun(runId),
    // version: re-read on every signal.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, runId, version],
  );

  if (loading && !run) {
    return <Progress />;
  }
  if (error || !run) {
    return (
      <ApiErrorPanel
        error={error ?? new Error(`Run ${runId} was not found`)}
        action="view the run that created this entity"
      />
    );
  }
  return (
    <StructuredMetadataTable
      metadata={{
        Status: <RunStatusLabel status={run.status} />,
        Blueprint:
          entity.metadata.annotations?.[ANNOTATION_BLUEPRINT] ??
          formatBlueprintRef(run.blueprint),
        'Requested by': run.requestedBy,
        Requested: formatTimestamp(run.createdAt),
        Finished: formatTimestamp(run.finishedAt),
        Repository: run.outputs?.repoUrl ? (
          <Link to={run.outputs.repoUrl}>{run.outputs.repoUrl}</Link>
        ) : (
          '—'
        ),
        Run: <Link to={runLink({ runId: run.id })}>View run {run.id}</Link>,
      }}
    />
  );
}

/**
 * A summary of how ProvisionHub created this System or Component: the run's status, blueprint
 * and version, requester, repository, and a link to the run.
 * @public
 */
export function EntityProvisioningCard() {
  const { entity } = useEntity();
  const runId = entity.metadata.annotations?.[ANNOTATION_RUN_ID];
  return (
    <InfoCard title="Provisioning">
      {runId ? (
        <ProvisioningSummary runId={runId} />
      ) : (
        <MissingAnnotationEmptyState annotation={ANNOTATION_RUN_ID} />
      )}
    </InfoCard>
  );
}
