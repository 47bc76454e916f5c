import {
  Content,
  Header,
  HeaderLabel,
  InfoCard,
  Link,
  Page,
  Progress,
  StructuredMetadataTable,
} from '@backstage/core-components';
import {
  useApi,
  useRouteRef,
  useRouteRefParams,
} from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  ProvisionedComponent,
  formatBlueprintRef,
} from '@provisionhub/plugin-provisionhub-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { provisionHubApiRef } from '../../api';
import { useEntityRuns } from '../../hooks/useEntityRuns';
import { componentRouteRef, runRouteRef, systemRouteRef } from '../../routes';
import { formatTimestamp } from '../../utils/format';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { ComponentDecommissionCard } from '../ComponentDecommission';
import { ComponentEnvironmentsCard } from '../ComponentEnvironments';
import { ComponentUpgradeCard } from '../ComponentUpgrade';
import { RunsTable } from '../RunsTable';

function AboutComponent(props: { component: ProvisionedComponent }) {
  const { component } = props;
  const systemLink = useRouteRef(systemRouteRef);
  const runLink = useRouteRef(runRouteRef);
  return (
    <InfoCard title="About">
      <StructuredMetadataTable
        metadata={{
          Repository: component.repoUrl ? (
            <Link to={component.repoUrl}>{component.repoUrl}</Link>
          ) : (
            'not created yet'
          ),
          Blueprint: component.blueprint.name,
          'Blueprint version': component.blueprint.version,
          Type: component.type,
          System: (
            <Link to={systemLink({ name: component.system })}>
              {component.system}
            </Link>
          ),
          Owner: <EntityRefLink entityRef={component.owner} />,
          'Catalog entity': <EntityRefLink entityRef={component.entityRef} />,
          'Created by run': (
            <Link to={runLink({ runId: component.runId })}>
              {component.runId}
            </Link>
          ),
          Created: formatTimestamp(component.createdAt),
        }}
      />
    </InfoCard>
  );
}

function ComponentRuns(props: { component: ProvisionedComponent }) {
  const runs = useEntityRuns(props.component.entityRef, [
    { entityRef: props.component.entityRef },
  ]);
  if (runs.loading && !runs.value) {
    return <Progress />;
  }
  if (runs.error) {
    return (
      <ApiErrorPanel
        error={runs.error}
        action="list the runs of this component"
      />
    );
  }
  return (
    <RunsTable
      title="Run history"
      runs={runs.value ?? []}
      emptyContent={
        <Typography color="textSecondary" style={{ padding: 16 }}>
          No runs for this component.
        </Typography>
      }
    />
  );
}

/**
 * One component: repository, blueprint and version, what runs in which environment, and its run
 * history.
 */
export function ComponentPage() {
  const { name } = useRouteRefParams(componentRouteRef);
  const api = useApi(provisionHubApiRef);
  const {
    value: component,
    loading,
    error,
  } = useAsyncRetry(() => api.getComponent(name), [api, name]);

  let content;
  if (loading) {
    content = <Progress />;
  } else if (error || !component) {
    content = (
      <ApiErrorPanel
        error={error ?? new Error(`Component ${name} was not found`)}
        action="view this component"
      />
    );
  } else {
    content = (
      <Grid container spacing={3}>
        {component.environments.length > 0 && (
          <Grid item xs={12}>
            <ComponentEnvironmentsCard component={component} />
          </Grid>
        )}
        <Grid item xs={12} md={5}>
          <AboutComponent component={component} />
          {component.status !== 'decommissioned' && (
            <Box mt={3}>
              <ComponentUpgradeCard component={component} />
            </Box>
          )}
          <Box mt={3}>
            <ComponentDecommissionCard component={component} />
          </Box>
        </Grid>
        <Grid item xs={12} md={7}>
          <ComponentRuns component={component} />
        </Grid>
      </Grid>
    );
  }
  return (
    <Page themeId="tool">
      <Header
        title={name}
        type="Component"
        subtitle="Provisioned by ProvisionHub"
      >
        {component && <HeaderLabel label="System" value={component.system} />}
        {component && (
          <HeaderLabel
            label="Blueprint"
            value={formatBlueprintRef(component.blueprint)}
          />
        )}
      </Header>
      <Content>{content}</Content>
    </Page>
  );
}
