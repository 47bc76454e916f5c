import type { Config } from '@backstage/config';
import type { JsonObject, JsonValue } from '@backstage/types';
import {
  BlueprintStepSpec,
  formatFieldErrors,
  validateStepInput,
} from '@provisionhub/plugin-provisionhub-common';
import {
  WorkerRunOutputs,
  WorkerStep,
  createRenderContext,
  renderTemplateString,
} from '@provisionhub/plugin-provisionhub-node';
import path from 'node:path';
import { PermanentError } from '../errors';
import { createCheckpoint } from './checkpoints';
import type { StepFunction, StepHelpers } from './types';

/**
 * Runs a registered step type for a blueprint step: renders the strings of its input with the
 * blueprint template syntax (plus `outputs`), checks the result against the type's schema, and
 * hands the step its context.
 */
export function blueprintStep(step: WorkerStep, config: Config): StepFunction {
  return async (job, helpers) => {
    const spec = helpers.step!;
    const { state } = helpers;
    const outputs: WorkerRunOutputs = {
      repoUrl: state.repository!.webUrl,
      defaultBranch: helpers.git.defaultBranch,
      entityRef: job.run.entityRef,
      commit: state.commit!,
    };
    const input = await readStepInput(
      spec,
      step.schema.input,
      { ...createRenderContext(job), outputs },
      helpers.renderLimits,
    );
    const result = await step.run({
      input,
      step: spec,
      job,
      files: state.rendered!,
      repository: state.repository!,
      outputs,
      gitProvider: helpers.provider,
      git: helpers.git,
      logger: helpers.logger,
      checkpoint: createCheckpoint({
        dir: path.join(helpers.workspace, `checkpoints-${spec.id}`),
        repository: state.repository!,
        runId: job.runId,
        stepId: spec.id,
        author: helpers.git.author,
        date: job.requestedAt,
        secrets: helpers.secrets,
        signal: helpers.signal,
      }),
      signal: helpers.signal,
      config,
      workspace: helpers.workspace,
    });
    return result ?? { status: 'succeeded' };
  };
}

/**
 * A blueprint step's input as its type receives it: every string rendered in the sandbox, then
 * checked against the type's input schema (a mismatch fails the run, naming the fields).
 */
export async function readStepInput(
  spec: BlueprintStepSpec,
  schema: JsonObject,
  context: Parameters<typeof renderTemplateString>[1],
  limits: StepHelpers['renderLimits'],
): Promise<JsonObject> {
  const label = `step '${spec.id}' (${spec.type})`;
  const rendered = await renderInput(
    spec.input ?? {},
    context,
    `${label} input`,
    limits,
  );
  const checked = validateStepInput(schema, rendered);
  if (!checked.ok) {
    throw new PermanentError(`${label}: ${formatFieldErrors(checked.errors)}`);
  }
  return checked.input;
}

/** Every string of the input rendered in the sandbox; keys and other values as they are. */
async function renderInput(
  value: JsonValue,
  context: Parameters<typeof renderTemplateString>[1],
  label: string,
  limits: StepHelpers['renderLimits'],
): Promise<JsonValue> {
  if (typeof value === 'string') {
    return renderTemplateString(value, context, label, limits);
  }
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    for (const [i, item] of value.entries()) {
      items.push(await renderInput(item, context, `${label}[${i}]`, limits));
    }
    return items;
  }
  if (value && typeof value === 'object') {
    const result: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) {
        result[key] = await renderInput(
          item,
          context,
          `${label}.${key}`,
          limits,
        );
      }
    }
    return result;
  }
  return value;
}
