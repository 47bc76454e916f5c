import { WarningPanel } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { Run } from '@provisionhub/plugin-provisionhub-common';

/** Why a run failed or was rejected, and whether its job ended in the dead-letter queue. */
export function RunErrorPanel(props: { run: Run }) {
  const { run } = props;
  if (run.status === 'rejected') {
    return (
      <WarningPanel
        severity="error"
        title="The run was rejected"
        defaultExpanded
        message={run.rejectionReason ?? 'No reason was given.'}
      />
    );
  }
  if (!run.error) {
    return null;
  }
  const { error } = run;
  const where = error.step ? ` at step "${error.step}"` : '';
  return (
    <WarningPanel
      severity="error"
      title={`The run failed${where}`}
      defaultExpanded
    >
      <Typography variant="body2" component="div">
        {error.message}
      </Typography>
      <Typography variant="body2" component="div">
        {error.deadLettered
          ? 'The job was dead-lettered: it ran out of attempts and was moved to the dead-letter queue.'
          : 'The job was not dead-lettered.'}{' '}
        {error.retryable
          ? 'The failure looks transient: retrying may succeed.'
          : 'The failure is permanent: fix the cause before retrying.'}
      </Typography>
    </WarningPanel>
  );
}
