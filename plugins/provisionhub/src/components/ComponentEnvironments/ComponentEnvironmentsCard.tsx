import { InfoCard, Link } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  ComponentEnvironment,
  PromoteComponentRequest,
  ProvisionedComponentDetails,
} from '@provisionhub/plugin-provisionhub-common';
import { useNavigate } from 'react-router-dom';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { provisionHubApiRef } from '../../api';
import { runRouteRef } from '../../routes';
import { ApiErrorPanel } from '../ApiErrorPanel';

const useStyles = makeStyles(theme => ({
  code: { fontFamily: 'monospace' },
  warning: { color: theme.palette.warning.main },
}));

const STATUS_LABELS: Record<ComponentEnvironment['status'], string> = {
  'not-deployed': 'not deployed',
  committed: 'committed',
  proposed: 'proposed',
};

/** Where a proposal waits: its merge request, else its branch. */
function ProposalPlace(props: { mergeRequestUrl?: string; branch?: string }) {
  if (props.mergeRequestUrl) {
    return <Link to={props.mergeRequestUrl}>merge request</Link>;
  }
  return props.branch ? (
    <>
      on branch <code>{props.branch}</code>
    </>
  ) : null;
}

function DeploymentStatus(props: { environment: ComponentEnvironment }) {
  const { environment } = props;
  const { proposal } = environment;
  return (
    <>
      <Chip
        size="small"
        color={environment.status === 'committed' ? 'primary' : 'default'}
        variant={environment.status === 'not-deployed' ? 'outlined' : 'default'}
        label={STATUS_LABELS[environment.status]}
      />
      {environment.status === 'proposed' && (
        <Typography variant="body2" component="span">
          {' '}
          <ProposalPlace
            mergeRequestUrl={environment.mergeRequestUrl}
            branch={environment.branch}
          />
        </Typography>
      )}
      {proposal && (
        <Typography variant="body2">
          <code>{proposal.version}</code> proposed{' '}
          <ProposalPlace
            mergeRequestUrl={proposal.mergeRequestUrl}
            branch={proposal.branch}
          />
        </Typography>
      )}
    </>
  );
}

function ArgoCdStatus(props: { environment: ComponentEnvironment }) {
  const classes = useStyles();
  const { argocd } = props.environment;
  if (!argocd) {
    return <>—</>;
  }
  if (argocd.error) {
    return (
      <Typography variant="body2" className={classes.warning}>
        {argocd.error}
      </Typography>
    );
  }
  return <>{[argocd.sync, argocd.health].filter(Boolean).join(' · ') || '—'}</>;
}

/**
 * What runs where: one row per environment of the portal, in promotion order, with the version
 * the GitOps repository deploys there, whether it is committed or still proposed (and a newer
 * version proposed over a committed one), what Argo CD says about it, and a Promote action that
 * starts a `promote` run to the next environment and opens its page.
 */
export function ComponentEnvironmentsCard(props: {
  component: ProvisionedComponentDetails;
}) {
  const { component } = props;
  const classes = useStyles();
  const api = useApi(provisionHubApiRef);
  const runLink = useRouteRef(runRouteRef);
  const navigate = useNavigate();
  const [promotion, promote] = useAsyncFn(
    async (request: PromoteComponentRequest) => {
      const run = await api.promoteComponent(component.name, request);
      navigate(runLink({ runId: run.id }));
    },
    [api, component.name],
  );
  const decommissioned = component.status === 'decommissioned';
  const { environments } = component;

  return (
    <InfoCard title="Environments" noPadding>
      <Table size="small" aria-label="Environments">
        <TableHead>
          <TableRow>
            <TableCell>Environment</TableCell>
            <TableCell>Version</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Argo CD</TableCell>
            <TableCell>GitOps path</TableCell>
            <TableCell>Run</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {environments.map((environment, index) => {
            const next = environments[index + 1];
            return (
              <TableRow key={environment.name}>
                <TableCell component="th" scope="row">
                  {environment.title}
                </TableCell>
                <TableCell className={classes.code}>
                  {environment.version ?? '—'}
                </TableCell>
                <TableCell>
                  <DeploymentStatus environment={environment} />
                </TableCell>
                <TableCell>
                  <ArgoCdStatus environment={environment} />
                </TableCell>
                <TableCell className={classes.code}>
                  {environment.gitopsPath}
                </TableCell>
                <TableCell>
                  {environment.runId ? (
                    <Link to={runLink({ runId: environment.runId })}>
                      {environment.runId}
                    </Link>
                  ) : (
                    '—'
                  )}
                </TableCell>
                <TableCell align="right">
                  {next && (
                    <Button
                      size="small"
                      variant="outlined"
                      color="primary"
                      disabled={
                        decommissioned ||
                        // A promotion takes the version committed here.
                        environment.status !== 'committed' ||
                        promotion.loading
                      }
                      onClick={() =>
                        promote({ from: environment.name, to: next.name })
                      }
                    >
                      Promote to {next.title}
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      {promotion.error && (
        <Box m={2}>
          <ApiErrorPanel
            error={promotion.error}
            action="promote this component"
          />
        </Box>
      )}
    </InfoCard>
  );
}
