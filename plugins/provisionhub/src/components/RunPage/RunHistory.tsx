import { Table, TableColumn } from '@backstage/core-components';
import type { RunTransition } from '@provisionhub/plugin-provisionhub-common';
import { formatTimestamp } from '../../utils/format';
import { RunStatusLabel } from '../RunStatusLabel';

const columns: TableColumn<RunTransition>[] = [
  { title: 'When', render: t => formatTimestamp(t.at) },
  { title: 'Status', render: t => <RunStatusLabel status={t.status} /> },
  { title: 'By', field: 'actor' },
  { title: 'Reason', render: t => t.reason ?? '' },
];

/** The run's audit trail: every status it went through, who caused it and why. */
export function RunHistory(props: { history: RunTransition[] }) {
  return (
    <Table<RunTransition>
      title="Status history"
      columns={columns}
      data={props.history.map(t => ({ ...t }))}
      options={{ paging: false, search: false, padding: 'dense' }}
    />
  );
}
