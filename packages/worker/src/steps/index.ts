import type {
  BlueprintStepSpec,
  JobMessage,
} from '@provisionhub/plugin-provisionhub-common';
import {
  DECOMMISSION_STEPS,
  DEPLOY_STEP_TYPE,
  PROMOTE_STEPS,
  UPGRADE_STEPS,
  planRunSteps,
} from '@provisionhub/plugin-provisionhub-common';
import { PermanentError } from '../errors';
import { archive } from './archive';
import { createRepository } from './createRepository';
import { deploy } from './deploy';
import { fetchBlueprint } from './fetchBlueprint';
import type { WorkerRegistry } from '../modules/WorkerRegistry';
import { blueprintStep } from './blueprintStep';
import { merge } from './merge';
import { openMergeRequest } from './openMergeRequest';
import { push } from './push';
import { pushBranch } from './pushBranch';
import { render } from './render';
import { report, reportPromotion } from './report';
import { reportDecommission } from './reportDecommission';
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

/** The steps of decommission jobs, by id; the metrics label them `decommission-<id>`. */
const DECOMMISSION_STEP_FUNCTIONS: Record<
  (typeof DECOMMISSION_STEPS)[number]['id'],
  StepFunction
> = {
  archive,
  report: reportDecommission,
};

/** The steps of promote jobs, by id; the metrics label them `promote-<id>`. */
const PROMOTE_STEP_FUNCTIONS: Record<
  (typeof PROMOTE_STEPS)[number]['id'],
  StepFunction
> = {
  'fetch-blueprint': fetchBlueprint,
  render,
  deploy,
  report: reportPromotion,
};

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
 * The job's steps in the order of `planRunSteps`. Blueprint steps run `deploy` (the portal's
 * GitOps repository) or the step types the registry has (built in or from worker modules); an
 * unknown type fails the run before anything happens.
 */
export function planSteps(
  job: JobMessage,
  registry: WorkerRegistry,
): PlannedStep[] {
  if (job.decommission) {
    return DECOMMISSION_STEPS.map(({ id }) => ({
      id,
      run: DECOMMISSION_STEP_FUNCTIONS[id],
      kind: `decommission-${id}`,
    }));
  }
  if (job.deploy?.promote) {
    return PROMOTE_STEPS.map(({ id }) => ({
      id,
      run: PROMOTE_STEP_FUNCTIONS[id],
      kind: `promote-${id}`,
    }));
  }
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
    if (spec.type === DEPLOY_STEP_TYPE) {
      return { id, run: deploy, spec, kind: spec.type };
    }
    const step = registry.getStep(spec.type);
    if (!step) {
      throw new PermanentError(
        `blueprint step '${id}' has type '${
          spec.type
        }', which this worker cannot run; known types: ${[
          DEPLOY_STEP_TYPE,
          ...registry.stepTypes(),
        ].join(
          ', ',
        )} (a worker module in provisionhub.worker.modules adds more)`,
      );
    }
    const run = blueprintStep(step, registry.config);
    return { id, run, spec, kind: spec.type };
  });
}

export type { StepFunction, StepHelpers, StepResult, RunState } from './types';
