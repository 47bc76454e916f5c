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
import { useSignal } from '@backstage/plugin-signals-react';
import { useEffect } from 'react';
import {
  ANNOTATION_BLUEPRINT,
  ANNOTATION_RUN_ID,
  formatBlueprintRef,
  runSignalChannel,
} from '@provisionhub/plugin-provisionhub-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { provisionHubApiRef } from '../../api';
import { runRouteRef } from '../../routes';
import { formatTimestamp } from '../../utils/format';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { RunStatusLabel } from '../RunStatusLabel';

function ProvisioningSummary(props: { runId: string }) {
  const { runId } = props;
  const { entity } = useEntity();
  const api = useApi(provisionHubApiRef);
  const runLink = useRouteRef(runRouteRef);
  const { value: run, loading, error, retry } = useAsyncRetry(
    () => api.getRun(runId),
    [api, runId],
  );
  const { lastSignal } = useSignal(runSignalChannel(runId));
  useEffect(() => {
    if (lastSignal) {
      retry();
    }
  }, [lastSignal, retry]);

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
