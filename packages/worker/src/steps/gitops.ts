import fs from 'node:fs/promises';
import path from 'node:path';
import {
  WorkerStep,
  createWorkerStep,
} from '@provisionhub/plugin-provisionhub-node';
import { PermanentError, TransientError } from '../errors';
import {
  commitFiles,
  fetchBranch,
  initRepository,
  pushCommit,
} from '../git/commits';
import { git } from '../git/runGit';
import { runTrailer } from '../git/commits';
import { writeFiles } from './render';

/** How often the step re-reads the branch when other runs push to it at the same moment. */
const MAX_PUSH_ROUNDS = 5;

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
 * rebuilt on top of the new branch head.
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
      const input = {
        repository: folder(spec.id, 'repository', ctx.input.repository),
        path: folder(spec.id, 'path', ctx.input.path ?? job.repository.path),
        from: folder(spec.id, 'from', ctx.input.from ?? 'deploy'),
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
      const dir = path.join(workspace, `gitops-${spec.id}`);
      const options = { env: repository.gitEnv, secrets, signal };
      await fs.mkdir(dir, { recursive: true });
      await initRepository(dir, input.branch, options);

      for (let round = 1; round <= MAX_PUSH_ROUNDS; round++) {
        const base = await fetchBranch(dir, repository.cloneUrl, input.branch, {
          ...options,
          depth: 1,
        });
        await git(base ? ['read-tree', base] : ['read-tree', '--empty'], {
          ...options,
          cwd: dir,
        });
        await fs.rm(path.join(dir, input.path), {
          recursive: true,
          force: true,
        });
        await writeFiles(dir, files);
        const { sha, tree } = await commitFiles(
          dir,
          {
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
            parents: base ? [base] : [],
            paths: [input.path],
          },
          { ...options, cwd: dir },
        );
        if (
          base &&
          tree ===
            (await git(['rev-parse', `${base}^{tree}`], {
              ...options,
              cwd: dir,
            }))
        ) {
          const detail = `${input.repository}:${input.path} on ${input.branch} already has these ${files.length} files`;
          logger.info(detail);
          return { status: 'skipped', detail };
        }
        const outcome = await pushCommit(
          dir,
          { url: repository.cloneUrl, sha, branch: input.branch },
          options,
        );
        if (outcome !== 'rejected') {
          const detail = `committed ${files.length} files to ${
            input.repository
          }:${input.path} on ${input.branch} (${sha.slice(0, 12)})`;
          logger.info(detail);
          return { status: 'succeeded', detail };
        }
        logger.info(
          `${input.repository} moved on while pushing; rebuilding on the new head (round ${round})`,
        );
      }
      throw new TransientError(
        `step '${spec.id}' (gitops): ${input.repository} kept changing while pushing; giving up after ${MAX_PUSH_ROUNDS} rounds`,
      );
    },
  });
}

function folder(stepId: string, key: string, value: string): string {
  const clean = value.trim().replace(/^\.?\/+|\/+$/g, '');
  const segments = clean.split('/');
  if (
    !clean ||
    segments.some(s => s === '' || s === '.' || s === '..' || s === '.git')
  ) {
    throw new PermanentError(
      `step '${stepId}' (gitops): input.${key} '${value}' must be a relative folder without '.', '..' or '.git' segments`,
    );
  }
  return clean;
}
