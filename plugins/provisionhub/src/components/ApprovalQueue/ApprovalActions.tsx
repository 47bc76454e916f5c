import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import {
  Run,
  runApprovePermission,
} from '@provisionhub/plugin-provisionhub-common';
import { provisionHubApiRef } from '../../api';
import { ApiErrorPanel } from '../ApiErrorPanel';

/** Approve and reject buttons for a run waiting for approval; rejecting asks for a reason. */
export function ApprovalActions(props: { run: Run; onDone(run: Run): void }) {
  const { run, onDone } = props;
  const api = useApi(provisionHubApiRef);
  const permission = usePermission({
    permission: runApprovePermission,
    resourceRef: run.id,
  });
  const [busy, setBusy] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonTouched, setReasonTouched] = useState(false);
  const [failure, setFailure] = useState<{ action: string; error: Error }>();

  const perform = async (action: string, call: () => Promise<Run>) => {
    setBusy(true);
    setFailure(undefined);
    try {
      onDone(await call());
    } catch (e) {
      setFailure({ action, error: e as Error });
    } finally {
      setBusy(false);
    }
  };

  let disabledReason: string | undefined;
  if (permission.loading) {
    disabledReason = 'Checking permissions…';
  } else if (!permission.allowed) {
    disabledReason = 'You do not have permission to approve or reject runs';
  }
  const reasonError =
    reasonTouched && reason.trim() === ''
      ? 'Give a reason, so the requester knows what to change'
      : undefined;

  const buttons = (
    <span>
      <Button
        size="small"
        color="primary"
        variant="contained"
        disabled={busy || Boolean(disabledReason)}
        onClick={() =>
          perform(`approve run ${run.name}`, () => api.approveRun(run.id))
        }
      >
        Approve
      </Button>{' '}
      <Button
        size="small"
        color="secondary"
        variant="outlined"
        disabled={busy || Boolean(disabledReason)}
        onClick={() => setRejecting(true)}
      >
        Reject
      </Button>
    </span>
  );

  return (
    <Box>
      {disabledReason ? (
        <Tooltip title={disabledReason}>{buttons}</Tooltip>
      ) : (
        buttons
      )}
      {failure && (
        <ApiErrorPanel error={failure.error} action={failure.action} />
      )}
      <Dialog open={rejecting} onClose={() => setRejecting(false)} fullWidth>
        <DialogTitle>
          Reject {run.kind} {run.name}
        </DialogTitle>
        <DialogContent>
          <TextField
            id={`reject-reason-${run.id}`}
            label="Reason"
            required
            fullWidth
            multiline
            minRows={2}
            value={reason}
            onChange={e => setReason(e.target.value)}
            onBlur={() => setReasonTouched(true)}
            error={Boolean(reasonError)}
            helperText={reasonError ?? 'Shown to the requester'}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setRejecting(false)}>Back</Button>
          <Button
            color="secondary"
            onClick={() => {
              setReasonTouched(true);
              if (reason.trim() === '') {
                return;
              }
              setRejecting(false);
              perform(`reject run ${run.name}`, () =>
                api.rejectRun(run.id, { reason: reason.trim() }),
              );
            }}
          >
            Reject run
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
