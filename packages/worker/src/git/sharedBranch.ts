import type { LoggerService } from '@backstage/backend-plugin-api';
import type { RenderedFile } from '@provisionhub/plugin-provisionhub-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { GitAuthor } from '../config';
import { TransientError } from '../errors';
import { writeFiles } from './writeFiles';
import {
  commitFiles,
  fetchBranch,
  initRepository,
  pushCommit,
} from './commits';
import { GitCommandOptions, git } from './runGit';

/** How often a commit is rebuilt when other runs push to the same branch at the same moment. */
const MAX_PUSH_ROUNDS = 5;

/** One change to a repository many runs write to (the GitOps repository). */
export interface SharedChange {
  /** The repository as the run log names it, e.g. `platform/gitops`. */
  label: string;
  /** The remote, and the branch the change is built on. */
  url: string;
  base: string;
  /** Where the commit goes: `base` (direct) or a branch of its own (a proposal). */
  target: string;
  /** Folders (or files) the change replaces as a whole: what is not in `files` disappears. */
  replace: string[];
  files: RenderedFile[];
  /** Folders written (with their files) only when the branch has no such folder yet. */
  ifMissing?: Array<{ folder: string; files: RenderedFile[] }>;
  message: string;
  author: GitAuthor;
  /** The run's `requestedAt`, so every delivery builds the same commit on the same base. */
  date: string;
  /** A scratch folder of this delivery. */
  dir: string;
}

/**
 * `committed`: the commit is on `target` now. `unchanged`: `target` already had exactly these
 * files (an earlier delivery wrote them); `sha` is the target's head.
 */
export type SharedChangeResult = {
  outcome: 'committed' | 'unchanged';
  sha: string;
};

/**
 * Writes a change as one commit on top of the branch's head. A push that loses a race against
 * another run is rebuilt on the new head, so concurrent runs never drop each other's commits.
 * A proposal (`target` ≠ `base`) that exists already is left as it is: its commit is reported.
 */
export async function commitSharedChange(
  change: SharedChange,
  options: GitCommandOptions,
  logger: Pick<LoggerService, 'info'>,
): Promise<SharedChangeResult> {
  const { dir } = change;
  const run = { ...options, cwd: dir };
  await fs.mkdir(dir, { recursive: true });
  await initRepository(dir, change.base, options);
  if (change.target !== change.base) {
    const proposed = await fetchBranch(dir, change.url, change.target, {
      ...options,
      depth: 1,
    });
    if (proposed) {
      return { outcome: 'unchanged', sha: proposed };
    }
  }
  for (let round = 1; round <= MAX_PUSH_ROUNDS; round++) {
    const head = await fetchBranch(dir, change.url, change.base, {
      ...options,
      depth: 1,
    });
    await git(head ? ['read-tree', head] : ['read-tree', '--empty'], run);
    for (const folder of change.replace) {
      await fs.rm(path.join(dir, folder), { recursive: true, force: true });
    }
    const missing = [];
    for (const entry of change.ifMissing ?? []) {
      const present =
        head &&
        (await git(['ls-tree', '--name-only', head, '--', entry.folder], run));
      if (!present) {
        missing.push(entry);
      }
    }
    await writeFiles(dir, [...change.files, ...missing.flatMap(m => m.files)]);
    const { sha, tree } = await commitFiles(
      dir,
      {
        message: change.message,
        author: change.author,
        date: change.date,
        parents: head ? [head] : [],
        paths: [...change.replace, ...missing.map(m => m.folder)],
      },
      run,
    );
    if (head && tree === (await git(['rev-parse', `${head}^{tree}`], run))) {
      return { outcome: 'unchanged', sha: head };
    }
    const pushed = await pushCommit(
      dir,
      { url: change.url, sha, branch: change.target },
      options,
    );
    if (pushed !== 'rejected') {
      return { outcome: 'committed', sha };
    }
    logger.info(
      `${change.label} moved on while pushing; rebuilding on the new head (round ${round})`,
    );
  }
  throw new TransientError(
    `${change.label} kept changing while pushing to ${change.target}; gave up after ${MAX_PUSH_ROUNDS} rounds`,
  );
}
