import { Progress } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { ANNOTATION_RUN_ID } from '@provisionhub/plugin-provisionhub-common';
import { useEntityRuns } from '../../hooks/useEntityRuns';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { EntityComponentEnvironments } from '../ComponentEnvironments';
import { EntityComponentUpgrade } from '../ComponentUpgrade';
import { EntityProvisioningCard } from '../EntityProvisioningCard';
import { RunDurationChart } from '../RunDurationChart';
import { RunsTable } from '../RunsTable';

/**
 * The "Provisioning" tab of a System or Component that ProvisionHub created: the run that
 * created it and every run of the entity since; for a Component, what runs in which environment
 * (with the Promote action) and whether a newer blueprint version is available (with the Upgrade
 * action).
 * @public
 */
export function EntityProvisioningContent() {
  const { entity } = useEntity();
  const runId = entity.metadata.annotations?.[ANNOTATION_RUN_ID];
  const entityRef = stringifyEntityRef(entity);
  const runs = useEntityRuns(runId ? entityRef : undefined, [{ entityRef }]);
  const isComponent = entity.kind.toLocaleLowerCase('en-US') === 'component';

  if (!runId) {
    return <MissingAnnotationEmptyState annotation={ANNOTATION_RUN_ID} />;
  }
  let history;
  if (runs.loading && !runs.value) {
    history = <Progress />;
  } else if (runs.error) {
    history = (
      <ApiErrorPanel error={runs.error} action="list the runs of this entity" />
    );
  } else {
    history = (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <RunsTable
            title="Runs"
            runs={runs.value ?? []}
            emptyContent={
              <Typography color="textSecondary" style={{ padding: 16 }}>
                No runs recorded for {entityRef}.
              </Typography>
            }
          />
        </Grid>
        <Grid item xs={12}>
          <RunDurationChart runs={runs.value ?? []} />
        </Grid>
      </Grid>
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={5}>
        <EntityProvisioningCard />
        {isComponent && (
          <Box mt={3}>
            <EntityComponentUpgrade name={entity.metadata.name} />
          </Box>
        )}
      </Grid>
      <Grid item xs={12} md={7}>
        {isComponent && (
          <EntityComponentEnvironments name={entity.metadata.name} />
        )}
        {history}
      </Grid>
    </Grid>
  );
}
