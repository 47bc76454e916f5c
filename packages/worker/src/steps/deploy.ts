import {
  BlueprintStepSpec,
  DEPLOY_STEP_TYPE,
  DeploymentOutput,
  JobMessage,
} from '@provisionhub/plugin-provisionhub-common';
import { createRenderContext } from '@provisionhub/plugin-provisionhub-node';
import path from 'node:path';
import { planDeployment } from '../deploy/planDeployment';
import { PermanentError } from '../errors';
import { runTrailer } from '../git/commits';
import { commitSharedChange } from '../git/sharedBranch';
import { readStepInput } from './blueprintStep';
import { relativeFolder } from './relativeFolder';
import type { StepFunction } from './types';

const text = { type: 'string', minLength: 1, pattern: '\\S' };
const INPUT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    /** Folder of the rendered repository with `base/` and `overlays/<env>/` (systems: `<env>/`). */
    from: text,
    /** The image name whose tag the overlays set (components). */
    image: text,
  },
};

/**
 * Blueprint step type `deploy`, and the `deploy` step of promote runs: writes the run's part of
 * the portal's GitOps repository (`job.deploy`, see `planDeployment`) as one commit. A write to
 * an `automatic` environment is committed to the branch Argo CD follows; a promotion to any
 * other environment is proposed on a branch of its own, with a merge request where the Git host
 * has them. Skipped when the portal configures no GitOps repository.
 *
 * Idempotent: a redelivery finds its files on the branch (or its proposal branch) and writes
 * nothing; a push that loses a race against another run is rebuilt on the new head.
 */
export const deploy: StepFunction = async (job, helpers) => {
  const deployment = job.deploy;
  if (!deployment) {
    return {
      status: 'skipped',
      detail:
        'this portal deploys through no GitOps repository (provisionhub.gitops is not configured)',
    };
  }
  const { state, provider, logger } = helpers;
  const spec = deployStepOf(job, helpers.step);
  const input = (await readStepInput(
    spec,
    INPUT_SCHEMA,
    createRenderContext(job),
    helpers.renderLimits,
  )) as { from?: string; image?: string };
  const isSystem = job.run.kind === 'system';
  const from = relativeFolder(
    `step '${spec.id}' (${DEPLOY_STEP_TYPE})`,
    'from',
    input.from ?? (isSystem ? 'environments' : 'deploy'),
  );
  if (!isSystem && !input.image) {
    throw new PermanentError(
      `step '${spec.id}' (deploy): input.image is required for a component: the image name its overlays set the tag of, e.g. \${{ values.imageRegistry }}/\${{ system }}/\${{ name }}`,
    );
  }
  const version = deployment.promote?.version ?? state.commit!.slice(0, 8);
  const repository = await provider.ensureSharedRepository(
    deployment.repository,
    'GitOps repository; Argo CD Applications and overlays written by ProvisionHub runs',
    deployment.branch,
  );
  state.gitopsUrl = repository.webUrl;
  const plan = planDeployment({
    job,
    deploy: deployment,
    rendered: state.rendered!,
    from,
    image: input.image,
    version,
    repoURL: repository.cloneUrl,
  });

  const promote = deployment.promote;
  const proposed =
    promote !== undefined && !plan.written.every(w => w.environment.automatic);
  const target = proposed
    ? `provisionhub/promote-${job.run.name}-${promote.to}-${job.runId.slice(
        0,
        8,
      )}`
    : deployment.branch;
  const title = promote
    ? `Promote ${job.run.name} ${promote.version} from ${promote.from} to ${promote.to}`
    : `Deploy ${job.run.entityRef} (${plan.written
        .map(w => w.environment.name)
        .join(', ')})`;
  const { outcome, sha } = await commitSharedChange(
    {
      label: deployment.repository,
      url: repository.cloneUrl,
      base: deployment.branch,
      target,
      replace: plan.replace,
      files: plan.files,
      ifMissing: plan.ifMissing,
      message: [
        title,
        '',
        `${plan.files.length} files of ${job.blueprint.name}@${job.blueprint.version}, version ${version}.`,
        '',
        runTrailer(job.runId),
      ].join('\n'),
      author: helpers.git.author,
      date: job.requestedAt,
      dir: path.join(helpers.workspace, 'gitops'),
    },
    {
      env: repository.gitEnv,
      secrets: helpers.secrets,
      signal: helpers.signal,
    },
    logger,
  );

  let mergeRequestUrl: string | undefined;
  if (proposed) {
    const mergeRequest = await provider.openMergeRequest({
      repository,
      sourceBranch: target,
      targetBranch: deployment.branch,
      title,
      description: `ProvisionHub run ${job.runId}, requested by ${job.requestedBy}: deploy ${job.run.name} ${version} to ${promote.to} (the version ${promote.from} runs). Merging it deploys it.`,
      runId: job.runId,
    });
    mergeRequestUrl = mergeRequest?.url;
  }
  state.deployments = plan.written.map(
    ({ environment, path: overlay }): DeploymentOutput => ({
      environment: environment.name,
      version,
      path: overlay,
      commit: sha,
      state: proposed ? 'proposed' : 'committed',
      ...(proposed ? { branch: target } : {}),
      ...(mergeRequestUrl ? { mergeRequestUrl } : {}),
    }),
  );
  const where = `${deployment.repository} ${
    mergeRequestUrl ?? `branch ${target}`
  }`;
  const environments = plan.written.map(w => w.environment.name).join(', ');
  const detail =
    outcome === 'unchanged'
      ? `${where} already has ${environments} at ${version}`
      : `${
          proposed ? 'proposed' : 'committed'
        } ${environments} at ${version} to ${where} (${sha.slice(0, 12)})`;
  logger.info(detail);
  return { status: outcome === 'unchanged' ? 'skipped' : 'succeeded', detail };
};

/** The blueprint's deploy step: the one being run, or (promote runs) the one it declares. */
function deployStepOf(
  job: JobMessage,
  step: BlueprintStepSpec | undefined,
): BlueprintStepSpec {
  const spec =
    step ?? job.blueprint.steps.find(s => s.type === DEPLOY_STEP_TYPE);
  if (!spec) {
    throw new PermanentError(
      `blueprint ${job.blueprint.name}@${job.blueprint.version} declares no '${DEPLOY_STEP_TYPE}' step, so it says nothing about how ${job.run.name} deploys; promote a component whose blueprint version has one (upgrade it first)`,
    );
  }
  return spec;
}
