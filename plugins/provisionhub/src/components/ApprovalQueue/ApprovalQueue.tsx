import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { provisionHubApiRef } from '../../api';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { RunsTable } from '../RunsTable';
import { ApprovalActions } from './ApprovalActions';

/** Runs that policy held back for a person to approve or reject. */
export function ApprovalQueue(props: { onChange?(): void }) {
  const api = useApi(provisionHubApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listRuns({ status: 'awaiting_approval', limit: 100 }),
    [api],
  );
  if (loading && !value) {
    return <Progress />;
  }
  if (error) {
    return (
      <ApiErrorPanel error={error} action="see the runs waiting for approval" />
    );
  }
  return (
    <RunsTable
      title="Waiting for approval"
      runs={value?.items ?? []}
      emptyContent={
        <Typography color="textSecondary" style={{ padding: 16 }}>
          No runs are waiting for approval.
        </Typography>
      }
      actions={run => (
        <ApprovalActions
          run={run}
          onDone={() => {
            retry();
            props.onChange?.();
          }}
        />
      )}
    />
  );
}
