import { InfoCard, MarkdownContent } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import type { ProvisionedComponentDetails } from '@provisionhub/plugin-provisionhub-common';
import { useNavigate } from 'react-router-dom';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { provisionHubApiRef } from '../../api';
import { runRouteRef } from '../../routes';
import { ApiErrorPanel } from '../ApiErrorPanel';

/**
 * Whether a newer version of a component's blueprint exists and what it changes, with the
 * Upgrade action: it starts an upgrade run (a branch, and a merge request on GitLab) and opens
 * the run's page.
 */
export function ComponentUpgradeCard(props: {
  component: ProvisionedComponentDetails;
}) {
  const { component } = props;
  const { upgrade, blueprint } = component;
  const api = useApi(provisionHubApiRef);
  const runLink = useRouteRef(runRouteRef);
  const navigate = useNavigate();
  const [started, start] = useAsyncFn(async () => {
    const run = await api.upgradeComponent(component.name, {
      version: upgrade!.latest,
    });
    navigate(runLink({ runId: run.id }));
  }, [api, component.name, upgrade?.latest]);

  if (!upgrade) {
    return (
      <InfoCard title="Blueprint version">
        <Typography color="textSecondary">
          Blueprint {blueprint.name} is no longer in the catalog: no upgrade can
          be offered.
        </Typography>
      </InfoCard>
    );
  }
  if (!upgrade.available) {
    return (
      <InfoCard title="Blueprint version">
        <Typography>
          Up to date: {blueprint.version} is the latest version of{' '}
          {blueprint.name}.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <InfoCard title="Blueprint version">
      <Typography variant="h6">
        {blueprint.version} → {upgrade.latest} available
      </Typography>
      {upgrade.changelog.map(entry => (
        <Box key={entry.version} mt={2}>
          <Typography variant="subtitle2">{entry.version}</Typography>
          {entry.changes.trim() ? (
            <MarkdownContent content={entry.changes} />
          ) : (
            <Typography color="textSecondary">No changelog.</Typography>
          )}
        </Box>
      ))}
      <Box mt={2}>
        <Typography variant="body2" color="textSecondary" paragraph>
          The upgrade is proposed on a branch (and a merge request on GitLab);
          your default branch is not changed.
        </Typography>
        <Button
          variant="contained"
          color="primary"
          disabled={started.loading}
          onClick={() => start()}
        >
          Upgrade to {upgrade.latest}
        </Button>
      </Box>
      {started.error && (
        <Box mt={2}>
          <ApiErrorPanel
            error={started.error}
            action="upgrade this component"
          />
        </Box>
      )}
    </InfoCard>
  );
}
