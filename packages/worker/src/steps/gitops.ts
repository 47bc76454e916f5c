import path from 'node:path';
import {
  WorkerStep,
  createWorkerStep,
} from '@provisionhub/plugin-provisionhub-node';
import { PermanentError } from '../errors';
import { runTrailer } from '../git/commits';
import { relativeFolder } from './relativeFolder';
import { commitSharedChange } from '../git/sharedBranch';

/** Strings of the input; unknown keys are ignored, as they always were. */
const text = { type: 'string', minLength: 1, pattern: '\\S' };

/** @public */
export type GitopsStepInput = {
  repository: string;
  path?: string;
  from?: string;
  branch?: string;
};

/**
 * Blueprint step type `gitops`: copies a folder of the rendered repository (default `deploy`)
 * into a folder of a shared GitOps repository and pushes one commit.
 *
 * Input (strings may use `${{ }}` like blueprint files):
 * - `repository` (required): GitOps repository path relative to the provider base, e.g. `platform/gitops`;
 * - `path`: folder in it, default `${{ repository.path }}` (e.g. `payments/payments-api`);
 *   replaced as a whole, so files the blueprint no longer renders disappear;
 * - `from`: folder of the rendered repository to copy, default `deploy`;
 * - `branch`: default `provisionhub.git.defaultBranch`.
 *
 * Idempotent by content: when the branch already has exactly these files at `path` (an earlier
 * delivery pushed them), the step is skipped. A push that loses a race against another run is
 * rebuilt on top of the new branch head (see `commitSharedChange`).
 *
 * @param secrets - redacted from git's errors
 */
export function createGitopsStep(
  secrets: readonly string[],
): WorkerStep<GitopsStepInput> {
  return createWorkerStep<GitopsStepInput>({
    description:
      'Copies a folder of the rendered repository into a folder of a shared GitOps repository',
    schema: {
      input: {
        type: 'object',
        required: ['repository'],
        properties: { repository: text, path: text, from: text, branch: text },
      },
    },
    async run(ctx) {
      const { job, logger, signal, workspace, files: rendered } = ctx;
      const spec = ctx.step;
      const label = `step '${spec.id}' (gitops)`;
      const input = {
        repository: relativeFolder(label, 'repository', ctx.input.repository),
        path: relativeFolder(
          label,
          'path',
          ctx.input.path ?? job.repository.path,
        ),
        from: relativeFolder(label, 'from', ctx.input.from ?? 'deploy'),
        branch: (ctx.input.branch ?? ctx.git.defaultBranch).trim(),
      };

      const sources = rendered.filter(f => f.path.startsWith(`${input.from}/`));
      if (sources.length === 0) {
        throw new PermanentError(
          `step '${spec.id}' (gitops): the rendered repository has no files under '${input.from}/'; set input.from to the folder with the deployment files`,
        );
      }
      const files = sources.map(f => ({
        ...f,
        path: `${input.path}/${f.path.slice(input.from.length + 1)}`,
      }));

      const repository = await ctx.gitProvider.ensureSharedRepository(
        input.repository,
        'GitOps repository; folders are written by ProvisionHub runs',
        input.branch,
      );
      const { outcome, sha } = await commitSharedChange(
        {
          label: input.repository,
          url: repository.cloneUrl,
          base: input.branch,
          target: input.branch,
          replace: [input.path],
          files,
          message: [
            `Deploy ${job.run.entityRef}`,
            '',
            `${files.length} files from '${input.from}/' of ${job.repository.path}.`,
            '',
            runTrailer(job.runId),
            `ProvisionHub-Step: ${spec.id}`,
          ].join('\n'),
          author: ctx.git.author,
          date: job.requestedAt,
          dir: path.join(workspace, `gitops-${spec.id}`),
        },
        { env: repository.gitEnv, secrets, signal },
        logger,
      );
      if (outcome === 'unchanged') {
        const detail = `${input.repository}:${input.path} on ${input.branch} already has these ${files.length} files`;
        logger.info(detail);
        return { status: 'skipped', detail };
      }
      const detail = `committed ${files.length} files to ${input.repository}:${
        input.path
      } on ${input.branch} (${sha.slice(0, 12)})`;
      logger.info(detail);
      return { status: 'succeeded', detail };
    },
  });
}
