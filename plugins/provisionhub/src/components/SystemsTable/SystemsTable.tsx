import { ReactNode } from 'react';
import { Link, Table, TableColumn } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import {
  ProvisionedComponent,
  ProvisionedSystem,
  formatBlueprintRef,
} from '@provisionhub/plugin-provisionhub-common';
import { componentRouteRef, systemRouteRef } from '../../routes';
import { formatTimestamp } from '../../utils/format';

type Row = ProvisionedSystem & { components: ProvisionedComponent[] };

/** Provisioned systems, each with links to its components. */
export function SystemsTable(props: {
  systems: ProvisionedSystem[];
  components: ProvisionedComponent[];
  emptyContent?: ReactNode;
}) {
  const systemLink = useRouteRef(systemRouteRef);
  const componentLink = useRouteRef(componentRouteRef);
  const rows: Row[] = props.systems.map(system => ({
    ...system,
    components: props.components.filter(c => c.system === system.name),
  }));
  const columns: TableColumn<Row>[] = [
    {
      title: 'System',
      field: 'name',
      highlight: true,
      render: row => (
        <Link to={systemLink({ name: row.name })}>{row.name}</Link>
      ),
    },
    { title: 'Owner', render: row => <EntityRefLink entityRef={row.owner} /> },
    {
      title: 'Components',
      render: row =>
        row.components.length === 0 ? (
          'none yet'
        ) : (
          <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
            {row.components.map(c => (
              <Link key={c.name} to={componentLink({ name: c.name })}>
                {c.name}
              </Link>
            ))}
          </Box>
        ),
    },
    { title: 'Blueprint', render: row => formatBlueprintRef(row.blueprint) },
    {
      title: 'Repository',
      render: row =>
        row.repoUrl ? <Link to={row.repoUrl}>{row.repoUrl}</Link> : '—',
    },
    { title: 'Created', render: row => formatTimestamp(row.createdAt) },
  ];
  return (
    <Table<Row>
      title="Systems"
      columns={columns}
      data={rows}
      options={{
        paging: rows.length > 20,
        pageSize: 20,
        search: rows.length > 5,
        padding: 'dense',
      }}
      emptyContent={props.emptyContent}
    />
  );
}
