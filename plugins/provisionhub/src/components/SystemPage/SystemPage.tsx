import {
  Content,
  ContentHeader,
  Header,
  HeaderLabel,
  InfoCard,
  Link,
  Page,
  Progress,
  StructuredMetadataTable,
  Table,
  TableColumn,
} from '@backstage/core-components';
import {
  useApi,
  useRouteRef,
  useRouteRefParams,
} from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  ProvisionedComponent,
  ProvisionedSystemDetails,
  formatBlueprintRef,
} from '@provisionhub/plugin-provisionhub-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { provisionHubApiRef } from '../../api';
import { useEntityRuns } from '../../hooks/useEntityRuns';
import {
  componentRouteRef,
  createComponentRouteRef,
  runRouteRef,
  systemRouteRef,
} from '../../routes';
import { formatTimestamp } from '../../utils/format';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { CreateButton } from '../CreateButton';
import { RunDurationChart } from '../RunDurationChart';
import { RunsTable } from '../RunsTable';

function AboutSystem(props: { system: ProvisionedSystemDetails }) {
  const { system } = props;
  const runLink = useRouteRef(runRouteRef);
  return (
    <InfoCard title="About">
      <StructuredMetadataTable
        metadata={{
          Owner: <EntityRefLink entityRef={system.owner} />,
          Blueprint: formatBlueprintRef(system.blueprint),
          Repository: system.repoUrl ? (
            <Link to={system.repoUrl}>{system.repoUrl}</Link>
          ) : (
            '—'
          ),
          'Catalog entity': <EntityRefLink entityRef={system.entityRef} />,
          'Created by run': (
            <Link to={runLink({ runId: system.runId })}>{system.runId}</Link>
          ),
          Created: formatTimestamp(system.createdAt),
        }}
      />
    </InfoCard>
  );
}

function ComponentsTable(props: { components: ProvisionedComponent[] }) {
  const componentLink = useRouteRef(componentRouteRef);
  const columns: TableColumn<ProvisionedComponent>[] = [
    {
      title: 'Component',
      field: 'name',
      highlight: true,
      render: c => <Link to={componentLink({ name: c.name })}>{c.name}</Link>,
    },
    { title: 'Type', field: 'type' },
    { title: 'Owner', render: c => <EntityRefLink entityRef={c.owner} /> },
    { title: 'Blueprint', render: c => formatBlueprintRef(c.blueprint) },
    {
      title: 'Repository',
      render: c => (c.repoUrl ? <Link to={c.repoUrl}>{c.repoUrl}</Link> : '—'),
    },
    { title: 'Created', render: c => formatTimestamp(c.createdAt) },
  ];
  return (
    <Table<ProvisionedComponent>
      title="Components"
      columns={columns}
      data={props.components.map(c => ({ ...c }))}
      options={{ paging: false, search: false, padding: 'dense' }}
      emptyContent={
        <Typography color="textSecondary" style={{ padding: 16 }}>
          No components yet: use "Create component" to add the first one.
        </Typography>
      }
    />
  );
}

function SystemRuns(props: { system: ProvisionedSystemDetails }) {
  const { system } = props;
  const runs = useEntityRuns(system.entityRef, [
    { system: system.name },
    { entityRef: system.entityRef },
  ]);
  if (runs.loading && !runs.value) {
    return <Progress />;
  }
  if (runs.error) {
    return (
      <ApiErrorPanel error={runs.error} action="list the runs of this system" />
    );
  }
  const items = runs.value ?? [];
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <RunDurationChart runs={items} />
      </Grid>
      <Grid item xs={12}>
        <RunsTable
          title="Runs"
          runs={items}
          emptyContent={
            <Typography color="textSecondary" style={{ padding: 16 }}>
              No runs for this system yet.
            </Typography>
          }
        />
      </Grid>
    </Grid>
  );
}

/** One system: about, components, run chart and runs, and "Create component". */
export function SystemPage() {
  const { name } = useRouteRefParams(systemRouteRef);
  const api = useApi(provisionHubApiRef);
  const createComponentLink = useRouteRef(createComponentRouteRef);
  const {
    value: system,
    loading,
    error,
  } = useAsyncRetry(() => api.getSystem(name), [api, name]);

  let content;
  if (loading) {
    content = <Progress />;
  } else if (error || !system) {
    content = (
      <ApiErrorPanel
        error={error ?? new Error(`System ${name} was not found`)}
        action="view this system"
      />
    );
  } else {
    content = (
      <>
        <ContentHeader title="System">
          <CreateButton
            to={createComponentLink({ name })}
            label="Create component"
            what="components"
          />
        </ContentHeader>
        <Grid container spacing={3}>
          <Grid item xs={12} md={5}>
            <AboutSystem system={system} />
          </Grid>
          <Grid item xs={12} md={7}>
            <ComponentsTable components={system.components} />
          </Grid>
          <Grid item xs={12}>
            <SystemRuns system={system} />
          </Grid>
        </Grid>
      </>
    );
  }

  return (
    <Page themeId="tool">
      <Header title={name} type="System" subtitle="Provisioned by ProvisionHub">
        {system && <HeaderLabel label="Owner" value={system.owner} />}
        {system && (
          <HeaderLabel
            label="Blueprint"
            value={formatBlueprintRef(system.blueprint)}
          />
        )}
      </Header>
      <Content>{content}</Content>
    </Page>
  );
}
