import type {
  BlueprintStepSpec,
  JobMessage,
} from '@provisionhub/plugin-provisionhub-common';
import {
  UPGRADE_STEPS,
  planRunSteps,
} from '@provisionhub/plugin-provisionhub-common';
import { PermanentError } from '../errors';
import { createRepository } from './createRepository';
import { fetchBlueprint } from './fetchBlueprint';
import { gitops } from './gitops';
import { merge } from './merge';
import { openMergeRequest } from './openMergeRequest';
import { push } from './push';
import { pushBranch } from './pushBranch';
import { render } from './render';
import { report } from './report';
import type { StepFunction } from './types';

const CORE_STEPS: Record<string, StepFunction> = {
  'fetch-blueprint': fetchBlueprint,
  render,
  'create-repository': createRepository,
  push,
  report,
};

/** The steps of upgrade jobs, by id; the metrics label them `upgrade-<id>`. */
const UPGRADE_STEP_FUNCTIONS: Record<
  (typeof UPGRADE_STEPS)[number]['id'],
  StepFunction
> = {
  'fetch-blueprint': fetchBlueprint,
  render,
  merge,
  push: pushBranch,
  'merge-request': openMergeRequest,
  report,
};

/** Blueprint step types this worker can run, by `type`. */
export const BLUEPRINT_STEP_TYPES: Record<string, StepFunction> = { gitops };

/** @public */
export interface PlannedStep {
  id: string;
  run: StepFunction;
  /** Set for blueprint steps. */
  spec?: BlueprintStepSpec;
  /** Label for metrics: the step id, or the type of a blueprint step (bounded cardinality). */
  kind: string;
}

/**
 * The job's steps in the order of `planRunSteps` (`UPGRADE_STEPS` for upgrade jobs). An unknown
 * blueprint step type fails the run before anything happens.
 */
export function planSteps(job: JobMessage): PlannedStep[] {
  if (job.upgrade) {
    return UPGRADE_STEPS.map(({ id }) => ({
      id,
      run: UPGRADE_STEP_FUNCTIONS[id],
      kind: `upgrade-${id}`,
    }));
  }
  const clash = job.blueprint.steps.find(s => Object.hasOwn(CORE_STEPS, s.id));
  if (clash) {
    throw new PermanentError(
      `blueprint step id '${clash.id}' is the name of a built-in step; rename it in spec.steps`,
    );
  }
  return planRunSteps(job.blueprint.steps).map(({ id }) => {
    const core = CORE_STEPS[id];
    if (core) {
      return { id, run: core, kind: id };
    }
    const spec = job.blueprint.steps.find(s => s.id === id)!;
    const run = BLUEPRINT_STEP_TYPES[spec.type];
    if (!run) {
      throw new PermanentError(
        `blueprint step '${id}' has type '${
          spec.type
        }', which this worker cannot run; known types: ${Object.keys(
          BLUEPRINT_STEP_TYPES,
        ).join(', ')}`,
      );
    }
    return { id, run, spec, kind: spec.type };
  });
}

export type { StepFunction, StepHelpers, StepResult, RunState } from './types';
