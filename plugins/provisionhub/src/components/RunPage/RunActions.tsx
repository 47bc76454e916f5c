import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Tooltip from '@material-ui/core/Tooltip';
import {
  Run,
  isTerminalRunStatus,
  runCancelPermission,
  runRetryPermission,
} from '@provisionhub/plugin-provisionhub-common';
import { provisionHubApiRef } from '../../api';
import { ApiErrorPanel } from '../ApiErrorPanel';

function ActionButton(props: {
  label: string;
  disabledReason?: string;
  onClick(): void;
  color?: 'primary' | 'secondary';
}) {
  const button = (
    <span>
      <Button
        variant="outlined"
        color={props.color ?? 'primary'}
        disabled={Boolean(props.disabledReason)}
        onClick={props.onClick}
      >
        {props.label}
      </Button>
    </span>
  );
  return props.disabledReason ? (
    <Tooltip title={props.disabledReason}>{button}</Tooltip>
  ) : (
    button
  );
}

/**
 * Cancel (while the run is not finished) and retry (after it failed or was cancelled), each
 * enabled only when the permission framework and the control plane allow it.
 */
export function RunActions(props: { run: Run; onChange(run: Run): void }) {
  const { run, onChange } = props;
  const api = useApi(provisionHubApiRef);
  const cancelPermission = usePermission({
    permission: runCancelPermission,
    resourceRef: run.id,
  });
  const retryPermission = usePermission({
    permission: runRetryPermission,
    resourceRef: run.id,
  });
  const [busy, setBusy] = useState<'cancel' | 'retry' | undefined>();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [failure, setFailure] = useState<{ action: string; error: Error }>();

  const cancellable = !isTerminalRunStatus(run.status);
  const retryable = run.status === 'failed' || run.status === 'cancelled';

  const perform = async (
    action: 'cancel' | 'retry',
    call: () => Promise<Run>,
  ) => {
    setBusy(action);
    setFailure(undefined);
    try {
      onChange(await call());
    } catch (e) {
      setFailure({ action: `${action} this run`, error: e as Error });
    } finally {
      setBusy(undefined);
    }
  };

  const reason = (
    permission: { loading: boolean; allowed: boolean },
    allowedByRun: boolean | undefined,
    verb: string,
  ) => {
    if (busy) {
      return `Waiting for the ${busy} request to finish`;
    }
    if (permission.loading) {
      return 'Checking permissions…';
    }
    if (!permission.allowed) {
      return `You do not have permission to ${verb} this run`;
    }
    if (allowedByRun === false) {
      return `This run cannot be ${
        verb === 'cancel' ? 'cancelled' : 'retried'
      } right now`;
    }
    return undefined;
  };

  if (!cancellable && !retryable) {
    return null;
  }
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 8 }}>
      <Box display="flex" style={{ gap: 8 }}>
        {cancellable && (
          <ActionButton
            label="Cancel run"
            color="secondary"
            disabledReason={reason(cancelPermission, run.canCancel, 'cancel')}
            onClick={() => setConfirmCancel(true)}
          />
        )}
        {retryable && (
          <ActionButton
            label="Retry run"
            disabledReason={reason(retryPermission, run.canRetry, 'retry')}
            onClick={() => perform('retry', () => api.retryRun(run.id))}
          />
        )}
      </Box>
      {failure && (
        <ApiErrorPanel error={failure.error} action={failure.action} />
      )}
      <Dialog open={confirmCancel} onClose={() => setConfirmCancel(false)}>
        <DialogTitle>Cancel this run?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            A queued run stops at once; a running run stops at its next step
            boundary. Steps already done are not undone.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirmCancel(false)}>Keep running</Button>
          <Button
            color="secondary"
            onClick={() => {
              setConfirmCancel(false);
              perform('cancel', () => api.cancelRun(run.id));
            }}
          >
            Yes, cancel run
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
