import { useEffect } from 'react';
import {
  Content,
  Header,
  HeaderLabel,
  InfoCard,
  Link,
  Page,
  Progress,
  StatusAborted,
  Table,
  TableColumn,
} from '@backstage/core-components';
import {
  useApi,
  useRouteRef,
  useRouteRefParams,
} from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import type {
  UpgradeCampaign,
  UpgradeCampaignRun,
} from '@provisionhub/plugin-provisionhub-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { provisionHubApiRef } from '../../api';
import {
  componentRouteRef,
  runRouteRef,
  upgradeCampaignRouteRef,
} from '../../routes';
import { formatTimestamp } from '../../utils/format';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { RunStatusLabel, runStatusText } from '../RunStatusLabel';

/** How often an unfinished campaign is read again. */
const REFRESH_MS = 5000;

function stateText(state: UpgradeCampaignRun['state']) {
  return state === 'skipped' ? 'Skipped' : runStatusText(state);
}

function Progression(props: { campaign: UpgradeCampaign }) {
  const { campaign } = props;
  const total = campaign.runs.length;
  const ended = campaign.runs.filter(
    r =>
      r.state === 'skipped' ||
      ['succeeded', 'failed', 'cancelled', 'rejected'].includes(r.state),
  ).length;
  return (
    <InfoCard title="Progress">
      <Typography variant="body1">
        {campaign.done
          ? `Done: every run of ${total} component${
              total === 1 ? '' : 's'
            } ended.`
          : `${ended} of ${total} component${total === 1 ? '' : 's'} done.`}
      </Typography>
      <Box my={2}>
        <LinearProgress
          variant="determinate"
          value={total ? (100 * ended) / total : 100}
          aria-label="campaign progress"
        />
      </Box>
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        {Object.entries(campaign.counts).map(([state, count]) => (
          <Chip
            key={state}
            size="small"
            label={`${stateText(
              state as UpgradeCampaignRun['state'],
            )}: ${count}`}
          />
        ))}
      </Box>
    </InfoCard>
  );
}

/**
 * A bulk upgrade's progress: how many components are in each state, and each component's run,
 * branch or merge request, or why it was skipped. Read again every few seconds until done.
 */
export function UpgradeCampaignPage() {
  const { name, id } = useRouteRefParams(upgradeCampaignRouteRef);
  const api = useApi(provisionHubApiRef);
  const runLink = useRouteRef(runRouteRef);
  const componentLink = useRouteRef(componentRouteRef);
  const {
    value: campaign,
    loading,
    error,
    retry,
  } = useAsyncRetry(() => api.getUpgradeCampaign(name, id), [api, name, id]);

  useEffect(() => {
    if (!campaign || campaign.done) {
      return undefined;
    }
    const timer = setTimeout(retry, REFRESH_MS);
    return () => clearTimeout(timer);
  }, [campaign, retry]);

  const columns: TableColumn<UpgradeCampaignRun>[] = [
    {
      title: 'Component',
      render: r => (
        <Link to={componentLink({ name: r.component })}>{r.component}</Link>
      ),
    },
    {
      title: 'State',
      render: r =>
        r.state === 'skipped' ? (
          <StatusAborted>Skipped</StatusAborted>
        ) : (
          <RunStatusLabel status={r.state} />
        ),
    },
    {
      title: 'Run',
      render: r =>
        r.runId ? <Link to={runLink({ runId: r.runId })}>{r.runId}</Link> : '—',
    },
    {
      title: 'Result',
      render: r => {
        if (r.skippedReason) {
          return r.skippedReason;
        }
        if (r.outputs?.mergeRequestUrl) {
          return (
            <Link to={r.outputs.mergeRequestUrl}>
              {r.outputs.mergeRequestUrl}
            </Link>
          );
        }
        return r.outputs?.branch ? `branch ${r.outputs.branch}` : '';
      },
    },
  ];

  let content;
  if (!campaign && loading) {
    content = <Progress />;
  } else if (!campaign) {
    content = (
      <ApiErrorPanel
        error={error ?? new Error(`Upgrade campaign ${id} was not found`)}
        action="view this upgrade campaign"
      />
    );
  } else {
    content = (
      <>
        <Progression campaign={campaign} />
        <Box mt={3}>
          <Table
            title="Components"
            options={{ paging: false, search: false }}
            columns={columns}
            data={campaign.runs}
          />
        </Box>
      </>
    );
  }
  return (
    <Page themeId="tool">
      <Header
        title={`Upgrade ${name}${
          campaign ? ` ${campaign.from} → ${campaign.to}` : ''
        }`}
        type="Upgrade campaign"
        subtitle="One upgrade run per component, each under the policy"
      >
        {campaign && (
          <HeaderLabel label="Started by" value={campaign.createdBy} />
        )}
        {campaign && (
          <HeaderLabel
            label="Started"
            value={formatTimestamp(campaign.createdAt)}
          />
        )}
      </Header>
      <Content>{content}</Content>
    </Page>
  );
}
