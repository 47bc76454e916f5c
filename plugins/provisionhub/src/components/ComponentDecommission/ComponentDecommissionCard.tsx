import { InfoCard, Link } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import type { ProvisionedComponent } from '@provisionhub/plugin-provisionhub-common';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { provisionHubApiRef } from '../../api';
import { runRouteRef } from '../../routes';
import { formatTimestamp } from '../../utils/format';
import { ApiErrorPanel } from '../ApiErrorPanel';

/**
 * Retiring a component: the Decommission action (with an optional reason) starts a decommission
 * run and opens its page; a decommissioned component says when and by which run.
 */
export function ComponentDecommissionCard(props: {
  component: ProvisionedComponent;
}) {
  const { component } = props;
  const api = useApi(provisionHubApiRef);
  const runLink = useRouteRef(runRouteRef);
  const navigate = useNavigate();
  const [reason, setReason] = useState('');
  const [started, start] = useAsyncFn(async () => {
    const run = await api.decommissionComponent(
      component.name,
      reason.trim() ? { reason: reason.trim() } : {},
    );
    navigate(runLink({ runId: run.id }));
  }, [api, component.name, reason]);

  if (component.status === 'decommissioned') {
    return (
      <InfoCard title="Decommissioned">
        <Typography>
          Decommissioned{' '}
          {component.decommissionedAt &&
            `on ${formatTimestamp(component.decommissionedAt)} `}
          by run{' '}
          <Link to={runLink({ runId: component.decommissionRunId ?? '' })}>
            {component.decommissionRunId}
          </Link>
          : its repository is archived and it has left the catalog.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <InfoCard title="Decommission">
      <Typography variant="body2" color="textSecondary" paragraph>
        Archives the repository and removes the component from the catalog,
        after the approvals policy asks for. Its history stays here.
      </Typography>
      <TextField
        id="decommission-reason"
        label="Reason"
        fullWidth
        multiline
        value={reason}
        onChange={event => setReason(event.target.value)}
        inputProps={{ maxLength: 2000 }}
      />
      <Box mt={2}>
        <Button
          variant="outlined"
          color="secondary"
          disabled={started.loading}
          onClick={() => start()}
        >
          Decommission
        </Button>
      </Box>
      {started.error && (
        <Box mt={2}>
          <ApiErrorPanel
            error={started.error}
            action="decommission this component"
          />
        </Box>
      )}
    </InfoCard>
  );
}
