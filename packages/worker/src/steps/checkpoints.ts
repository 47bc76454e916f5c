import type { JsonValue } from '@backstage/types';
import fs from 'node:fs/promises';
import type { ProvisionedRepository } from '@provisionhub/plugin-provisionhub-node';
import type { GitAuthor } from '../config';
import { PermanentError } from '../errors';
import { commitEnv, initRepository } from '../git/commits';
import { GitCommandOptions, git, gitError, runGit } from '../git/runGit';

/** Hidden refs of the run's repository that hold step checkpoints (no branch, no tag). */
export const CHECKPOINT_REFS = 'refs/provisionhub/checkpoints';
const KEY = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;
const FILE = 'checkpoint.json';
const REF_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** @public */
export type Checkpoint = <T extends JsonValue | void>(
  key: string,
  fn: () => Promise<T>,
) => Promise<T>;

/**
 * A step's `checkpoint`: results are stored in the run's own repository as
 * `refs/provisionhub/checkpoints/<run id>/<step id>/<key>`, a commit whose tree holds the JSON.
 * The repository is the one durable place a worker has (workers never touch the database), it
 * exists before any blueprint step runs, and every delivery of the run reaches it with the same
 * credentials. One fetch to read, one push to store; `dir` is a scratch repository.
 */
export function createCheckpoint(options: {
  dir: string;
  repository: ProvisionedRepository;
  runId: string;
  stepId: string;
  author: GitAuthor;
  /** The run's `requestedAt`: the commits are the same on every delivery. */
  date: string;
  secrets: readonly string[];
  signal: AbortSignal;
}): Checkpoint {
  const { repository } = options;
  const run: GitCommandOptions = {
    cwd: options.dir,
    env: repository.gitEnv,
    secrets: options.secrets,
    signal: options.signal,
  };
  let scratch: Promise<void> | undefined;
  const ready = () => {
    scratch ??= fs
      .mkdir(options.dir, { recursive: true })
      .then(() => initRepository(options.dir, 'main', run));
    return scratch;
  };

  const read = async (
    ref: string,
  ): Promise<{ value?: JsonValue } | undefined> => {
    await ready();
    const args = [
      'fetch',
      '--quiet',
      '--no-tags',
      repository.cloneUrl,
      `+${ref}:${ref}`,
    ];
    const result = await runGit(args, run);
    if (result.code !== 0) {
      if (/couldn't find remote ref/i.test(result.stderr)) {
        return undefined;
      }
      throw gitError(args, result, options.secrets);
    }
    return JSON.parse(await git(['cat-file', 'blob', `${ref}:${FILE}`], run));
  };

  const write = async (
    ref: string,
    key: string,
    value: JsonValue | undefined,
  ) => {
    await ready();
    const blob = await git(['hash-object', '-w', '--stdin'], {
      ...run,
      input: Buffer.from(JSON.stringify(value === undefined ? {} : { value })),
    });
    const tree = await git(['mktree'], {
      ...run,
      input: Buffer.from(`100644 blob ${blob}\t${FILE}\n`),
    });
    const sha = await git(
      [
        'commit-tree',
        tree,
        '-m',
        `ProvisionHub checkpoint '${key}' of step ${options.stepId}, run ${options.runId}`,
      ],
      {
        ...run,
        env: { ...run.env, ...commitEnv(options.author, options.date) },
      },
    );
    const args = ['push', '--quiet', repository.cloneUrl, `${sha}:${ref}`];
    const result = await runGit(args, run);
    return result.code === 0
      ? undefined
      : gitError(args, result, options.secrets);
  };

  return async <T extends JsonValue | void>(
    key: string,
    fn: () => Promise<T>,
  ): Promise<T> => {
    if (
      typeof key !== 'string' ||
      key.length > 100 ||
      !KEY.test(key) ||
      key.endsWith('.lock')
    ) {
      throw new PermanentError(
        `step '${options.stepId}': checkpoint key ${JSON.stringify(
          key,
        )} must be letters, digits, '.', '_' or '-' (at most 100, not ending in .lock)`,
      );
    }
    if (!REF_SEGMENT.test(options.runId) || !REF_SEGMENT.test(options.stepId)) {
      throw new PermanentError(
        `step '${options.stepId}': checkpoints need a run id and step id of letters, digits, '_' and '-'`,
      );
    }
    const ref = `${CHECKPOINT_REFS}/${options.runId}/${options.stepId}/${key}`;
    const stored = await read(ref);
    if (stored) {
      return stored.value as T;
    }
    const value = await fn();
    const failed = await write(ref, key, value as JsonValue | undefined);
    if (failed) {
      // Another delivery may have stored it first; its result is the run's.
      const winner = await read(ref);
      if (winner) {
        return winner.value as T;
      }
      throw failed;
    }
    return value;
  };
}
