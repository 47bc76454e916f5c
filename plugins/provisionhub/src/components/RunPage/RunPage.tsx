import { ReactNode } from 'react';
import {
  Content,
  ContentHeader,
  Header,
  HeaderLabel,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useRouteRefParams } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import {
  Run,
  formatBlueprintRef,
  isTerminalRunStatus,
} from '@provisionhub/plugin-provisionhub-common';
import { useLiveRun } from '../../hooks/useLiveRun';
import { runRouteRef } from '../../routes';
import { errorMessage } from '../../utils/errors';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { ApprovalActions } from '../ApprovalQueue';
import { PolicyDecisionCard } from '../PolicyDecision';
import { runStatusText } from '../RunStatusLabel';
import { RunActions } from './RunActions';
import { RunErrorPanel } from './RunErrorPanel';
import { RunHistory } from './RunHistory';
import { RunLogs } from './RunLogs';
import { RunProgress } from './RunProgress';
import { RunStepsTimeline } from './RunStepsTimeline';
import { RunSummary } from './RunSummary';

function RunPageLayout(props: {
  title: string;
  run?: Run;
  children: ReactNode;
}) {
  return (
    <Page themeId="tool">
      <Header
        title={props.title}
        subtitle={props.run ? `Run ${props.run.id}` : undefined}
        type="ProvisionHub run"
      >
        {props.run && (
          <>
            <HeaderLabel
              label="Status"
              value={runStatusText(props.run.status)}
            />
            <HeaderLabel
              label="Blueprint"
              value={formatBlueprintRef(props.run.blueprint)}
            />
          </>
        )}
      </Header>
      <Content>{props.children}</Content>
    </Page>
  );
}

/** One run: progress, steps, live logs, actions, outcome and audit trail. */
export function RunPage() {
  const { runId } = useRouteRefParams(runRouteRef);
  const { run, logs, error, loading, live, applyRun } = useLiveRun(runId);

  if (!run) {
    return (
      <RunPageLayout title="Run">
        {loading ? (
          <Progress />
        ) : (
          <ApiErrorPanel
            error={error ?? new Error(`Run ${runId} could not be read`)}
            action="view this run"
          />
        )}
      </RunPageLayout>
    );
  }

  const finished = isTerminalRunStatus(run.status);
  return (
    <RunPageLayout title={`${run.kind} ${run.name}`} run={run}>
      <ContentHeader title={runStatusText(run.status)}>
        {run.status === 'awaiting_approval' && (
          <ApprovalActions run={run} onDone={applyRun} />
        )}
        <RunActions run={run} onChange={applyRun} />
      </ContentHeader>
      <Grid container spacing={3}>
        {error && (
          <Grid item xs={12}>
            <WarningPanel
              severity="warning"
              title="Live updates are interrupted; retrying"
              message={errorMessage(error)}
            />
          </Grid>
        )}
        <Grid item xs={12}>
          <RunProgress run={run} />
        </Grid>
        {(run.error || run.status === 'rejected') && (
          <Grid item xs={12}>
            <RunErrorPanel run={run} />
          </Grid>
        )}
        {run.policy && (
          <Grid item xs={12}>
            <PolicyDecisionCard
              decision={run.policy}
              approvals={run.approvals}
              approvalExpiresAt={
                run.status === 'awaiting_approval'
                  ? run.approvalExpiresAt
                  : undefined
              }
            />
          </Grid>
        )}
        <Grid item xs={12} md={5}>
          <RunSummary run={run} />
        </Grid>
        <Grid item xs={12} md={7}>
          <RunStepsTimeline steps={run.steps ?? []} />
        </Grid>
        <Grid item xs={12}>
          <RunLogs logs={logs} live={live} finished={finished} />
        </Grid>
        <Grid item xs={12}>
          <RunHistory history={run.history ?? []} />
        </Grid>
      </Grid>
    </RunPageLayout>
  );
}
