import type { GitAuthor } from '../config';
import { commitEnv } from './commits';
import { GitCommandOptions, git, gitError, runGit } from './runGit';

/** @public */
export interface ImportedFile {
  path: string;
  content: Buffer;
  executable: boolean;
}

/**
 * Writes `files` as one commit (a root commit, or a child of `commit.parent` whose tree is exactly
 * `files`) into the repository at `gitDir` and points `branch` at it unless the branch holds
 * something else — all in one `git fast-import` (one pack file instead of a loose object per
 * file, one process instead of four). The commit is the one `git add && git commit-tree` would
 * make: same author, dates, parent and message give the same hash.
 *
 * @returns the commit, and whether `branch` now points at it (false: the branch already held
 * other commits and was left alone)
 */
export async function importCommit(
  gitDir: string,
  files: readonly ImportedFile[],
  commit: { message: string; author: GitAuthor; date: string; parent?: string },
  branch: string,
  options: GitCommandOptions = {},
): Promise<{ sha: string; branchUpdated: boolean }> {
  const env = commitEnv(commit.author, commit.date);
  const chunks: Buffer[] = [];
  const line = (text: string) => chunks.push(Buffer.from(`${text}\n`, 'utf8'));
  const data = (bytes: Buffer) => {
    line(`data ${bytes.length}`);
    chunks.push(bytes, Buffer.from('\n'));
  };
  files.forEach((file, i) => {
    line('blob');
    line(`mark :${i + 1}`);
    data(file.content);
  });
  const commitMark = files.length + 1;
  line(`commit refs/heads/${branch}`);
  line(`mark :${commitMark}`);
  line(
    `author ${env.GIT_AUTHOR_NAME} <${
      env.GIT_AUTHOR_EMAIL
    }> ${env.GIT_AUTHOR_DATE.slice(1)}`,
  );
  line(
    `committer ${env.GIT_COMMITTER_NAME} <${
      env.GIT_COMMITTER_EMAIL
    }> ${env.GIT_COMMITTER_DATE.slice(1)}`,
  );
  // `git commit-tree -m` ends the message with a newline; so must this, for the same hash.
  data(Buffer.from(`${commit.message}\n`, 'utf8'));
  if (commit.parent) {
    line(`from ${commit.parent}`);
    line('deleteall');
  }
  files.forEach((file, i) => {
    line(
      `M ${file.executable ? '100755' : '100644'} :${i + 1} ${quotePath(
        file.path,
      )}`,
    );
  });
  line('');
  line(`get-mark :${commitMark}`);
  line('done');

  const args = ['fast-import', '--quiet', '--done'];
  // Below `fastimport.unpackLimit` objects (default 100) git explodes the pack into loose
  // objects afterwards, which costs twice as much CPU as the import itself.
  const result = await runGit(['-c', 'fastimport.unpackLimit=0', ...args], {
    ...options,
    env: { ...options.env, GIT_DIR: gitDir },
    input: Buffer.concat(chunks),
  });
  const sha = result.stdout.trim().split('\n')[0];
  if (result.code === 0 && /^[0-9a-f]{40}$/.test(sha)) {
    return { sha, branchUpdated: true };
  }
  if (
    result.code !== 0 &&
    /Not updating/.test(result.stderr) &&
    /^[0-9a-f]{40}$/.test(sha)
  ) {
    return { sha, branchUpdated: false };
  }
  throw gitError(args, result, options.secrets);
}

/** The commit `branch` points at in the repository at `gitDir`, if it exists. */
export async function readBranch(
  gitDir: string,
  branch: string,
  options: GitCommandOptions = {},
): Promise<string | undefined> {
  const result = await runGit(
    ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`],
    {
      ...options,
      env: { ...options.env, GIT_DIR: gitDir },
    },
  );
  return result.code === 0 ? result.stdout.trim() : undefined;
}

/** Creates an empty scratch repository to build commits in before pushing them elsewhere. */
export async function initScratchRepository(
  gitDir: string,
  options: GitCommandOptions = {},
) {
  await git(['init', '--bare', '--quiet', '--template=', gitDir], options);
}

/** fast-import takes paths to the end of the line; quote those that need it, C style. */
function quotePath(path: string): string {
  if (!/["\\\n]/.test(path) && !path.startsWith('"')) {
    return path;
  }
  return `"${path
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')}"`;
}
