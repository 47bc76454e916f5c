import {
  InfoCard,
  Progress,
  StructuredMetadataTable,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import {
  DryRunResult,
  RunRequest,
} from '@provisionhub/plugin-provisionhub-common';
import useAsync from 'react-use/esm/useAsync';
import { provisionHubApiRef } from '../../api';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { PolicyDecisionCard } from '../PolicyDecision';

type File = DryRunResult['files'][number];

function formatSize(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

const fileColumns: TableColumn<File>[] = [
  { title: 'Path', field: 'path', highlight: true },
  { title: 'Size', render: f => formatSize(f.size) },
  { title: 'Executable', render: f => (f.executable ? 'yes' : '') },
];

/**
 * What will be asked for, what policy says about it (allowed, needs approval from whom, or
 * denied and why), and the files a dry run of the blueprint says it would write.
 */
export function ReviewStep(props: {
  request: RunRequest;
  onDryRun(result: DryRunResult | undefined): void;
}) {
  const { request, onDryRun } = props;
  const api = useApi(provisionHubApiRef);
  const requestKey = JSON.stringify(request);
  const { value, loading, error } = useAsync(async () => {
    onDryRun(undefined);
    const result = await api.dryRun(JSON.parse(requestKey) as RunRequest);
    onDryRun(result);
    return result;
    // onDryRun is a setter of the wizard's state.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, requestKey]);

  const summary: Record<string, unknown> = {
    Kind: request.kind,
    Name: request.name,
    Owner: request.owner,
  };
  if (request.system) {
    summary.System = request.system;
  }
  summary.Blueprint = `${request.blueprint}@${request.version ?? 'latest'}`;
  for (const [key, v] of Object.entries(request.values)) {
    summary[key] = typeof v === 'string' ? v : JSON.stringify(v);
  }

  return (
    <Grid container spacing={3}>
      {value && (
        <Grid item xs={12}>
          <PolicyDecisionCard
            title="What policy says"
            decision={value.policy}
          />
        </Grid>
      )}
      <Grid item xs={12} md={5}>
        <InfoCard title="Request">
          <StructuredMetadataTable metadata={summary} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        {loading && <Progress />}
        {error && <ApiErrorPanel error={error} action="preview this request" />}
        {value && (
          <Table<File>
            title="Files the run will create"
            subtitle={`In repository ${value.repositoryPath} · blueprint ${value.blueprint.name}@${value.blueprint.version} (${value.blueprint.digest})`}
            columns={fileColumns}
            data={value.files.map(f => ({ ...f }))}
            options={{
              paging: value.files.length > 20,
              pageSize: 20,
              search: false,
              padding: 'dense',
            }}
          />
        )}
      </Grid>
    </Grid>
  );
}
