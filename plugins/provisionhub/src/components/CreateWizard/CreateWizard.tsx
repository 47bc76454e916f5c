import { useRef, useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import type { JsonObject } from '@backstage/types';
import type {
  BlueprintVersion,
  DryRunResult,
  CreateRunKind,
  RunRequest,
} from '@provisionhub/plugin-provisionhub-common';
import type Form from '@rjsf/core';
import { useNavigate } from 'react-router-dom';
import { provisionHubApiRef } from '../../api';
import { runRouteRef } from '../../routes';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { BlueprintChoice, BlueprintPicker } from './BlueprintPicker';
import { Details, DetailsStep } from './DetailsStep';
import { ReviewStep } from './ReviewStep';
import { nameError, normalizeOwner, ownerError } from './validation';

const STEPS = [
  'Choose a blueprint',
  'Fill in the details',
  'Review and create',
];

/**
 * Create a system or a component: pick a blueprint and version, fill in a form generated from
 * its parameter schema, review the files a dry run would write, submit, then follow the run.
 */
export function CreateWizard(props: {
  kind: CreateRunKind;
  /** The system a new component belongs to. */
  system?: string;
  /** Pre-filled owner, e.g. the system's owner or one of the user's groups. */
  defaultOwner?: string;
}) {
  const { kind, system } = props;
  const api = useApi(provisionHubApiRef);
  const runLink = useRouteRef(runRouteRef);
  const navigate = useNavigate();
  const formRef = useRef<Form<JsonObject>>(null);

  const [step, setStep] = useState(0);
  const [choice, setChoice] = useState<BlueprintChoice>();
  const [blueprintVersion, setBlueprintVersion] = useState<BlueprintVersion>();
  const [details, setDetails] = useState<Details>({
    name: '',
    owner: props.defaultOwner ?? '',
    values: {},
  });
  const [touched, setTouched] = useState<{ name?: boolean; owner?: boolean }>(
    {},
  );
  const [showAllErrors, setShowAllErrors] = useState(false);
  const [dryRun, setDryRun] = useState<DryRunResult>();
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<Error>();

  const errors = {
    name: nameError(details.name),
    owner: ownerError(details.owner),
  };

  const request: RunRequest | undefined = choice && {
    kind,
    name: details.name,
    owner: errors.owner ? details.owner : normalizeOwner(details.owner),
    ...(kind === 'component' ? { system } : {}),
    blueprint: choice.blueprint.name,
    version: choice.version,
    values: details.values,
  };

  const next = () => {
    if (step === 0 && choice) {
      setStep(1);
      return;
    }
    if (step === 1) {
      setShowAllErrors(true);
      const form = formRef.current;
      const valuesValid = form ? form.validateForm() : false;
      if (form) {
        // rjsf fills in the schema's defaults; submit what the form shows.
        setDetails(d => ({
          ...d,
          values: (form.state.formData ?? {}) as JsonObject,
        }));
      }
      if (!errors.name && !errors.owner && valuesValid && blueprintVersion) {
        setStep(2);
      }
    }
  };

  const submit = async () => {
    if (!request) {
      return;
    }
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      const run = await api.createRun(request);
      navigate(runLink({ runId: run.id }));
    } catch (e) {
      setSubmitError(e as Error);
      setSubmitting(false);
    }
  };

  return (
    <InfoCard>
      <Stepper activeStep={step} alternativeLabel>
        {STEPS.map(label => (
          <Step key={label}>
            <StepLabel>{label}</StepLabel>
          </Step>
        ))}
      </Stepper>
      <Box px={2} py={1}>
        {step === 0 && (
          <BlueprintPicker
            kind={kind}
            value={choice}
            onChange={picked => {
              if (
                picked.blueprint.name !== choice?.blueprint.name ||
                picked.version !== choice?.version
              ) {
                setDetails(d => ({ ...d, values: {} }));
                setBlueprintVersion(undefined);
              }
              setChoice(picked);
            }}
          />
        )}
        {step === 1 && choice && (
          <DetailsStep
            kind={kind}
            system={system}
            blueprint={{ name: choice.blueprint.name, version: choice.version }}
            details={details}
            errors={errors}
            showAllErrors={showAllErrors}
            touched={touched}
            onTouch={field => setTouched(t => ({ ...t, [field]: true }))}
            onChange={setDetails}
            onBlueprintVersion={setBlueprintVersion}
            formRef={formRef}
          />
        )}
        {step === 2 && request && (
          <ReviewStep request={request} onDryRun={setDryRun} />
        )}
        {submitError && (
          <Box mt={2}>
            <ApiErrorPanel
              error={submitError}
              action={`create ${kind}s`}
              title={`The ${kind} could not be requested`}
            />
          </Box>
        )}
      </Box>
      <Box
        display="flex"
        justifyContent="flex-end"
        style={{ gap: 8 }}
        px={2}
        pb={2}
      >
        <Button
          disabled={step === 0 || submitting}
          onClick={() => setStep(s => s - 1)}
        >
          Back
        </Button>
        {step < 2 ? (
          <Button
            variant="contained"
            color="primary"
            disabled={
              (step === 0 && !choice) || (step === 1 && !blueprintVersion)
            }
            onClick={next}
          >
            Next
          </Button>
        ) : (
          <Button
            variant="contained"
            color="primary"
            // Policy denies it: the review step says why, and submitting could only fail.
            disabled={
              !dryRun || dryRun.policy.decision === 'deny' || submitting
            }
            onClick={submit}
          >
            {submitLabel(kind, dryRun, submitting)}
          </Button>
        )}
      </Box>
    </InfoCard>
  );
}

function submitLabel(
  kind: string,
  dryRun: DryRunResult | undefined,
  submitting: boolean,
): string {
  if (submitting) {
    return 'Creating…';
  }
  return dryRun?.policy.decision === 'require-approval'
    ? `Request ${kind} for approval`
    : `Create ${kind}`;
}
