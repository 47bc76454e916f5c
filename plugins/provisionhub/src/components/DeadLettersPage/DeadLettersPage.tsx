import { useState } from 'react';
import {
  Content,
  ContentHeader,
  Header,
  Link,
  Page,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import {
  DeadLetter,
  adminPermission,
} from '@provisionhub/plugin-provisionhub-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { provisionHubApiRef } from '../../api';
import { runRouteRef } from '../../routes';
import { formatTimestamp } from '../../utils/format';
import { ApiErrorPanel } from '../ApiErrorPanel';

type Pending = { purge: string[] | 'all' } | { redrive: DeadLetter };

/**
 * The dead-letter console: what reached the dead-letter queue, why, when, and for which run;
 * re-drive a job once its cause is fixed, or purge what can never be handled. Needs
 * `provisionhub.admin`.
 */
export function DeadLettersPage() {
  const api = useApi(provisionHubApiRef);
  const runLink = useRouteRef(runRouteRef);
  const permission = usePermission({ permission: adminPermission });
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listDeadLetters({ limit: 500 }),
    [api],
  );
  const [confirm, setConfirm] = useState<Pending>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ action: string; error: Error }>();
  const [done, setDone] = useState<string>();

  const act = async () => {
    if (!confirm) {
      return;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      if ('redrive' in confirm) {
        const run = await api.redriveDeadLetter(confirm.redrive.id);
        setDone(`Run ${run.name} is ${run.status.replace('_', ' ')} again.`);
      } else {
        const { purged } = await api.purgeDeadLetters(
          confirm.purge === 'all' ? {} : { ids: confirm.purge },
        );
        setDone(`Purged ${purged} dead letter${purged === 1 ? '' : 's'}.`);
      }
    } catch (e) {
      setFailure({
        action: 'redrive' in confirm ? 're-drive it' : 'purge dead letters',
        error: e as Error,
      });
    } finally {
      setBusy(false);
      setConfirm(undefined);
      retry();
    }
  };

  const disabled = busy || permission.loading || !permission.allowed;
  const redriving =
    confirm && 'redrive' in confirm ? confirm.redrive : undefined;
  const columns: TableColumn<DeadLetter>[] = [
    { title: 'Queue', field: 'queue' },
    { title: 'Reason', field: 'reason' },
    {
      title: 'Message',
      render: d =>
        d.valid
          ? `${d.kind}${
              d.attempt === undefined ? '' : `, attempt ${d.attempt}`
            }`
          : `malformed (${d.bytes} bytes)`,
    },
    {
      title: 'Run',
      render: d =>
        d.runId && d.valid ? (
          <Link to={runLink({ runId: d.runId })}>{d.runId}</Link>
        ) : (
          d.runId ?? '—'
        ),
    },
    { title: 'Deaths', field: 'deaths', type: 'numeric' },
    { title: 'First death', render: d => formatTimestamp(d.firstDeathAt) },
    { title: 'Last death', render: d => formatTimestamp(d.lastDeathAt) },
    {
      title: 'Actions',
      render: d => (
        <Box display="flex" style={{ gap: 8 }}>
          {d.redrivable && (
            <Button
              size="small"
              variant="outlined"
              color="primary"
              disabled={disabled}
              onClick={() => setConfirm({ redrive: d })}
            >
              Re-drive
            </Button>
          )}
          <Button
            size="small"
            variant="outlined"
            disabled={disabled}
            onClick={() => setConfirm({ purge: [d.id] })}
          >
            Purge
          </Button>
        </Box>
      ),
    },
  ];

  let body;
  if (loading && !value) {
    body = <Progress />;
  } else if (error) {
    body = <ApiErrorPanel error={error} action="see dead letters" />;
  } else {
    body = (
      <Table<DeadLetter>
        title={`Dead letters (${value?.total ?? 0})`}
        options={{ search: false, paging: false, padding: 'dense' }}
        columns={columns}
        data={value?.items ?? []}
        emptyContent={
          <Typography color="textSecondary" style={{ padding: 16 }}>
            The dead-letter queue is empty.
          </Typography>
        }
      />
    );
  }

  return (
    <Page themeId="tool">
      <Header title="Dead letters" subtitle="ProvisionHub" />
      <Content>
        <ContentHeader title="Messages that could not be handled">
          <Button
            variant="outlined"
            disabled={disabled || !value?.total}
            onClick={() => setConfirm({ purge: 'all' })}
          >
            Purge all
          </Button>
        </ContentHeader>
        {!permission.loading && !permission.allowed && (
          <Typography color="textSecondary" paragraph>
            Re-driving and purging need the permission {adminPermission.name}.
          </Typography>
        )}
        {done && (
          <Typography paragraph role="status">
            {done}
          </Typography>
        )}
        {failure && (
          <ApiErrorPanel error={failure.error} action={failure.action} />
        )}
        {body}
      </Content>
      <Dialog open={Boolean(confirm)} onClose={() => setConfirm(undefined)}>
        <DialogTitle>
          {redriving ? 'Re-drive this job?' : 'Purge dead letters?'}
        </DialogTitle>
        <DialogContent>
          <Typography>
            {redriving
              ? `Run ${redriving.runId} is retried as its next attempt, from its pinned blueprint. Fix what made it fail first.`
              : `${
                  confirm && 'purge' in confirm && confirm.purge === 'all'
                    ? 'Every dead letter'
                    : 'This dead letter'
                } is deleted for good; runs keep their status and history.`}
          </Typography>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirm(undefined)}>Keep</Button>
          <Button color="primary" disabled={busy} onClick={act}>
            {redriving ? 'Re-drive' : 'Purge'}
          </Button>
        </DialogActions>
      </Dialog>
    </Page>
  );
}
