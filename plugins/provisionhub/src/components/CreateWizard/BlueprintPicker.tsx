import { EmptyState, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import type {
  BlueprintSummary,
  CreateRunKind,
} from '@provisionhub/plugin-provisionhub-common';
import useAsync from 'react-use/esm/useAsync';
import { provisionHubApiRef } from '../../api';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { BlueprintStatusChip } from '../BlueprintStatusChip';

/** The blueprint type that creates systems; every other type creates components. */
export const SYSTEM_BLUEPRINT_TYPE = 'system';

export interface BlueprintChoice {
  blueprint: BlueprintSummary;
  version: string;
}

/** Lists the blueprints for a system or a component and lets the user pick one and a version. */
export function BlueprintPicker(props: {
  kind: CreateRunKind;
  value?: BlueprintChoice;
  onChange(choice: BlueprintChoice): void;
}) {
  const { kind, value, onChange } = props;
  const api = useApi(provisionHubApiRef);
  const {
    value: blueprints,
    loading,
    error,
  } = useAsync(async () => {
    const { items } = await api.listBlueprints(
      kind === 'system' ? { type: SYSTEM_BLUEPRINT_TYPE } : {},
    );
    return items.filter(b =>
      kind === 'system'
        ? b.type === SYSTEM_BLUEPRINT_TYPE
        : b.type !== SYSTEM_BLUEPRINT_TYPE,
    );
  }, [api, kind]);

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ApiErrorPanel error={error} action="list blueprints" />;
  }
  if (!blueprints || blueprints.length === 0) {
    return (
      <EmptyState
        missing="data"
        title={`No ${kind} blueprints`}
        description={`Blueprints are catalog entities of kind Blueprint; register one with type ${
          kind === 'system'
            ? `"${SYSTEM_BLUEPRINT_TYPE}"`
            : 'backend, frontend, database, …'
        } to create ${kind}s.`}
      />
    );
  }

  return (
    <Box>
      <RadioGroup
        aria-label="Blueprint"
        value={value?.blueprint.name ?? ''}
        onChange={e => {
          const blueprint = blueprints.find(b => b.name === e.target.value);
          if (blueprint) {
            onChange({ blueprint, version: blueprint.latestVersion });
          }
        }}
      >
        {blueprints.map(blueprint => (
          <FormControlLabel
            key={blueprint.name}
            value={blueprint.name}
            disabled={blueprint.status?.usable === false}
            control={<Radio color="primary" />}
            label={
              <Box py={1}>
                <Typography variant="subtitle1">
                  {blueprint.title}{' '}
                  <Typography component="span" color="textSecondary">
                    ({blueprint.name}, {blueprint.type}, latest{' '}
                    {blueprint.latestVersion})
                  </Typography>
                </Typography>
                {blueprint.description && (
                  <Typography variant="body2" color="textSecondary">
                    {blueprint.description}
                  </Typography>
                )}
                <Box display="flex" style={{ gap: 4 }}>
                  <BlueprintStatusChip status={blueprint.status} />
                  {blueprint.tags.map(tag => (
                    <Chip key={tag} size="small" label={tag} />
                  ))}
                </Box>
              </Box>
            }
          />
        ))}
      </RadioGroup>
      {value && (
        <TextField
          select
          label="Version"
          value={value.version}
          onChange={e =>
            onChange({ blueprint: value.blueprint, version: e.target.value })
          }
          helperText="Runs pin this exact version"
          style={{ minWidth: 240, marginTop: 16 }}
        >
          {value.blueprint.versions.map(version => (
            <MenuItem key={version} value={version}>
              {version}
              {version === value.blueprint.latestVersion ? ' (latest)' : ''}
            </MenuItem>
          ))}
        </TextField>
      )}
    </Box>
  );
}
