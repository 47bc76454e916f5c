import { ReactNode } from 'react';
import { Link, Table, TableColumn } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  Run,
  formatBlueprintRef,
} from '@provisionhub/plugin-provisionhub-common';
import { runRouteRef } from '../../routes';
import {
  formatDuration,
  formatTimestamp,
  runDurationMs,
} from '../../utils/format';
import { RunStatusLabel } from '../RunStatusLabel';

/** A list of runs, newest first, each linking to its run page. */
export function RunsTable(props: {
  runs: Run[];
  title?: string;
  emptyContent?: ReactNode;
  /** Extra column at the end, e.g. approval buttons. */
  actions?: (run: Run) => ReactNode;
}) {
  const runLink = useRouteRef(runRouteRef);
  const columns: TableColumn<Run>[] = [
    {
      title: 'Run',
      field: 'name',
      highlight: true,
      render: run => (
        <Link to={runLink({ runId: run.id })}>
          {run.kind} {run.name}
        </Link>
      ),
    },
    { title: 'System', render: run => run.system ?? '—' },
    { title: 'Blueprint', render: run => formatBlueprintRef(run.blueprint) },
    { title: 'Status', render: run => <RunStatusLabel status={run.status} /> },
    { title: 'Requested by', field: 'requestedBy' },
    { title: 'Requested', render: run => formatTimestamp(run.createdAt) },
    {
      title: 'Duration',
      render: run => formatDuration(runDurationMs(run)),
    },
  ];
  if (props.actions) {
    const actions = props.actions;
    columns.push({ title: 'Actions', render: run => actions(run) });
  }
  return (
    <Table<Run>
      title={props.title}
      columns={columns}
      // material-table writes its own state into the rows: give it copies.
      data={props.runs.map(run => ({ ...run }))}
      options={{
        paging: props.runs.length > 10,
        pageSize: 10,
        search: false,
        padding: 'dense',
      }}
      emptyContent={props.emptyContent}
    />
  );
}
