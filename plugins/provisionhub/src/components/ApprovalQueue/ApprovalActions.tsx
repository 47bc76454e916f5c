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

type Decision = 'approve' | 'reject';

const DIALOG = {
  approve: {
    button: 'Approve run',
    label: 'Comment',
    help: 'Optional; kept in the run history',
    required: false,
  },
  reject: {
    button: 'Reject run',
    label: 'Reason',
    help: 'Shown to the requester',
    required: true,
  },
};

/**
 * Approve and Reject, each with a comment box (a reason is required to reject), for a run
 * waiting for approval. The control plane decides who may: on a single-run read it says so in
 * `canApprove`/`approvalBlockedReason` (never the requester, only the approver groups).
 */
export function ApprovalActions(props: { run: Run; onDone(run: Run): void }) {
  const { run, onDone } = props;
  const api = useApi(provisionHubApiRef);
  const permission = usePermission({
    permission: runApprovePermission,
    resourceRef: run.id,
  });
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<Decision>();
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const [failure, setFailure] = useState<{ action: string; error: Error }>();

  let disabledReason: string | undefined;
  if (permission.loading) {
    disabledReason = 'Checking permissions…';
  } else if (!permission.allowed) {
    disabledReason = 'You do not have permission to approve or reject runs';
  } else if (run.canApprove === false) {
    disabledReason = run.approvalBlockedReason ?? 'You cannot approve this run';
  }
  const dialog = open ? DIALOG[open] : undefined;
  const textError =
    dialog?.required && touched && text.trim() === ''
      ? 'Give a reason, so the requester knows what to change'
      : undefined;

  const openDialog = (decision: Decision) => {
    setText('');
    setTouched(false);
    setOpen(decision);
  };

  const decide = async () => {
    setTouched(true);
    if (!open || (dialog?.required && text.trim() === '')) {
      return;
    }
    const decision = open;
    const comment = text.trim();
    setOpen(undefined);
    setBusy(true);
    setFailure(undefined);
    try {
      onDone(
        decision === 'approve'
          ? await api.approveRun(run.id, comment ? { comment } : {})
          : await api.rejectRun(run.id, { reason: comment }),
      );
    } catch (e) {
      setFailure({ action: `${decision} run ${run.name}`, error: e as Error });
    } finally {
      setBusy(false);
    }
  };

  const buttons = (
    <span>
      <Button
        size="small"
        color="primary"
        variant="contained"
        disabled={busy || Boolean(disabledReason)}
        onClick={() => openDialog('approve')}
      >
        Approve
      </Button>{' '}
      <Button
        size="small"
        color="secondary"
        variant="outlined"
        disabled={busy || Boolean(disabledReason)}
        onClick={() => openDialog('reject')}
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
      <Dialog open={Boolean(open)} onClose={() => setOpen(undefined)} fullWidth>
        <DialogTitle>
          {open === 'reject' ? 'Reject' : 'Approve'} {run.kind} {run.name}
        </DialogTitle>
        <DialogContent>
          {dialog && (
            <TextField
              id={`${open}-comment-${run.id}`}
              label={dialog.label}
              required={dialog.required}
              fullWidth
              multiline
              minRows={2}
              value={text}
              onChange={e => setText(e.target.value)}
              onBlur={() => setTouched(true)}
              error={Boolean(textError)}
              helperText={textError ?? dialog.help}
            />
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(undefined)}>Back</Button>
          <Button
            color={open === 'reject' ? 'secondary' : 'primary'}
            onClick={decide}
          >
            {dialog?.button}
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
