import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type {
  RunStatus,
  StepStatus,
} from '@provisionhub/plugin-provisionhub-common';

const RUN_STATUS_TEXT: Record<RunStatus, string> = {
  requested: 'Requested',
  awaiting_approval: 'Awaiting approval',
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  rejected: 'Rejected',
};

const STEP_STATUS_TEXT: Record<StepStatus, string> = {
  pending: 'Pending',
  running: 'Running',
  succeeded: 'Succeeded',
  skipped: 'Skipped',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Human text of a run status, e.g. `Awaiting approval`. */
export function runStatusText(status: RunStatus): string {
  return RUN_STATUS_TEXT[status] ?? status;
}

function StatusIcon(props: {
  status: RunStatus | StepStatus;
  children: string;
}) {
  switch (props.status) {
    case 'succeeded':
      return <StatusOK>{props.children}</StatusOK>;
    case 'failed':
    case 'rejected':
      return <StatusError>{props.children}</StatusError>;
    case 'running':
      return <StatusRunning>{props.children}</StatusRunning>;
    case 'cancelled':
    case 'skipped':
      return <StatusAborted>{props.children}</StatusAborted>;
    case 'awaiting_approval':
      return <StatusWarning>{props.children}</StatusWarning>;
    default:
      return <StatusPending>{props.children}</StatusPending>;
  }
}

/** A run's status with the portal's status colour and icon. */
export function RunStatusLabel(props: { status: RunStatus }) {
  return (
    <StatusIcon status={props.status}>{runStatusText(props.status)}</StatusIcon>
  );
}

/** A step's status with the portal's status colour and icon. */
export function StepStatusLabel(props: { status: StepStatus }) {
  return (
    <StatusIcon status={props.status}>
      {STEP_STATUS_TEXT[props.status] ?? props.status}
    </StatusIcon>
  );
}
