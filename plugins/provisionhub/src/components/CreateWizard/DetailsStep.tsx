import { RefObject, useMemo } from 'react';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import type { JsonObject } from '@backstage/types';
import type {
  BlueprintVersion,
  CreateRunKind,
} from '@provisionhub/plugin-provisionhub-common';
import type Form from '@rjsf/core';
import { Form as MuiForm } from '@rjsf/material-ui';
import type { RJSFValidationError } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import useAsync from 'react-use/esm/useAsync';
import { provisionHubApiRef } from '../../api';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { BlueprintStatusChip } from '../BlueprintStatusChip';
import { splitUiSchema } from './splitUiSchema';

/** The form of a blueprint's parameters, as rjsf's Form instance. */
export type ParametersFormRef = RefObject<Form<JsonObject>>;

/** Plain-language messages for the rules people break most. */
export function transformErrors(
  errors: RJSFValidationError[],
): RJSFValidationError[] {
  return errors.map(error => {
    if (error.name === 'required') {
      return { ...error, message: 'is required' };
    }
    if (error.name === 'enum') {
      const allowed = (error.params?.allowedValues ?? []) as unknown[];
      return {
        ...error,
        message: `must be one of ${allowed
          .map(v => JSON.stringify(v))
          .join(', ')}`,
      };
    }
    return error;
  });
}

export interface Details {
  name: string;
  owner: string;
  values: JsonObject;
}

/** Name, owner and the blueprint's own parameters, each with its validation message inline. */
export function DetailsStep(props: {
  kind: CreateRunKind;
  system?: string;
  blueprint: { name: string; version: string };
  details: Details;
  errors: { name?: string; owner?: string };
  /** Show every message, not only those of fields the user has left. */
  showAllErrors: boolean;
  touched: { name?: boolean; owner?: boolean };
  onTouch(field: 'name' | 'owner'): void;
  onChange(details: Details): void;
  onBlueprintVersion(version: BlueprintVersion): void;
  formRef: ParametersFormRef;
}) {
  const { details, errors, onChange } = props;
  const api = useApi(provisionHubApiRef);
  const {
    value: version,
    loading,
    error,
  } = useAsync(async () => {
    const loaded = await api.getBlueprintVersion(
      props.blueprint.name,
      props.blueprint.version,
    );
    props.onBlueprintVersion(loaded);
    return loaded;
    // onBlueprintVersion is a setter of the wizard's state.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, props.blueprint.name, props.blueprint.version]);

  const split = useMemo(
    () => (version ? splitUiSchema(version.parameters) : undefined),
    [version],
  );

  const shown = (field: 'name' | 'owner') =>
    props.showAllErrors || props.touched[field] ? errors[field] : undefined;

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      <TextField
        label={props.kind === 'system' ? 'System name' : 'Component name'}
        required
        value={details.name}
        onChange={e => onChange({ ...details, name: e.target.value })}
        onBlur={() => props.onTouch('name')}
        error={Boolean(shown('name'))}
        helperText={
          shown('name') ??
          'Lowercase letters, digits and hyphens; becomes the repository and catalog name'
        }
        inputProps={{ 'aria-label': 'Name' }}
      />
      <TextField
        label="Owner"
        required
        value={details.owner}
        onChange={e => onChange({ ...details, owner: e.target.value })}
        onBlur={() => props.onTouch('owner')}
        error={Boolean(shown('owner'))}
        helperText={
          shown('owner') ?? 'A group or user, e.g. group:default/payments'
        }
        inputProps={{ 'aria-label': 'Owner' }}
      />
      {props.kind === 'component' && (
        <TextField
          label="System"
          value={props.system ?? ''}
          InputProps={{ readOnly: true }}
          helperText="The component's repository is created in this system"
        />
      )}
      <Typography variant="h6">Blueprint parameters</Typography>
      {loading && <Progress />}
      {error && <ApiErrorPanel error={error} action="read this blueprint" />}
      {version?.status && !version.status.usable && (
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <BlueprintStatusChip status={version.status} />
          <Typography variant="body2" color="error">
            Runs of {version.name}@{version.version} are refused:{' '}
            {version.status.reason}
          </Typography>
        </Box>
      )}
      {version && split && (
        <MuiForm
          ref={props.formRef}
          schema={split.schema}
          uiSchema={split.uiSchema}
          formData={details.values}
          validator={validator}
          onChange={e => onChange({ ...details, values: e.formData ?? {} })}
          showErrorList={false}
          liveValidate={props.showAllErrors}
          noHtml5Validate
          transformErrors={transformErrors}
        >
          <></>
        </MuiForm>
      )}
    </Box>
  );
}
