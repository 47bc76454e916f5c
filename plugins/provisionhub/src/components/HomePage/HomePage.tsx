import { useState } from 'react';
import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  LinkButton,
  Page,
  Progress,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { adminPermission } from '@provisionhub/plugin-provisionhub-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { provisionHubApiRef } from '../../api';
import { createSystemRouteRef, deadLettersRouteRef } from '../../routes';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { ApprovalQueue } from '../ApprovalQueue';
import { CreateButton } from '../CreateButton';
import { RunsTable } from '../RunsTable';
import { SystemsTable } from '../SystemsTable';

function Systems() {
  const api = useApi(provisionHubApiRef);
  const createSystemLink = useRouteRef(createSystemRouteRef);
  const { value, loading, error } = useAsyncRetry(async () => {
    const [systems, components] = await Promise.all([
      api.listSystems(),
      api.listComponents(),
    ]);
    return { systems: systems.items, components: components.items };
  }, [api]);
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ApiErrorPanel error={error} action="list systems" />;
  }
  if (!value || value.systems.length === 0) {
    return (
      <EmptyState
        missing="content"
        title="No systems yet"
        description="A system groups components and owns their repositories. Create the first one from a blueprint."
        action={
          <CreateButton
            to={createSystemLink()}
            label="Create system"
            what="systems"
          />
        }
      />
    );
  }
  return <SystemsTable systems={value.systems} components={value.components} />;
}

function RecentRuns(props: { refreshKey: number }) {
  const api = useApi(provisionHubApiRef);
  const { value, loading, error } = useAsyncRetry(
    () => api.listRuns({ limit: 20 }),
    [api, props.refreshKey],
  );
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ApiErrorPanel error={error} action="list runs" />;
  }
  return (
    <RunsTable
      title="Recent runs"
      runs={value?.items ?? []}
      emptyContent={
        <Typography color="textSecondary" style={{ padding: 16 }}>
          No runs yet.
        </Typography>
      }
    />
  );
}

/** The ProvisionHub home: systems and their components, approvals, recent runs. */
export function HomePage() {
  const createSystemLink = useRouteRef(createSystemRouteRef);
  const deadLettersLink = useRouteRef(deadLettersRouteRef);
  const admin = usePermission({ permission: adminPermission });
  const [refreshKey, setRefreshKey] = useState(0);
  return (
    <Page themeId="tool">
      <Header
        title="ProvisionHub"
        subtitle="Systems and components from versioned blueprints"
      />
      <Content>
        <ContentHeader title="Overview">
          {admin.allowed && (
            <LinkButton to={deadLettersLink()} style={{ marginRight: 8 }}>
              Dead letters
            </LinkButton>
          )}
          <CreateButton
            to={createSystemLink()}
            label="Create system"
            what="systems"
          />
        </ContentHeader>
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <ApprovalQueue onChange={() => setRefreshKey(k => k + 1)} />
          </Grid>
          <Grid item xs={12}>
            <Systems />
          </Grid>
          <Grid item xs={12}>
            <RecentRuns refreshKey={refreshKey} />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
