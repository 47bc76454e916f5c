import type { RunOutputs } from '@provisionhub/plugin-provisionhub-common';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { MergeStatus, MergeStatusReader } from './MergeStatusReader';

const run = promisify(execFile);

/**
 * Plain git remotes, where the pushed branch is the upgrade's result: it is merged when its tip
 * is an ancestor of the default branch. Asks the remote with the git CLI (`ls-remote`, then a
 * blob-less fetch of both branches into a temporary repository), so the control plane needs to
 * be able to read the remote: a local folder, or a URL git's own configuration gives access to.
 * A deleted upgrade branch counts as `closed`: nothing is left to tell whether it was merged.
 * @internal
 */
export class GitBranchMergeReader implements MergeStatusReader {
  async read(outputs: RunOutputs): Promise<MergeStatus> {
    const { repoUrl, defaultBranch, branch } = outputs;
    if (!branch) {
      return { state: 'closed', detail: `the run pushed no branch` };
    }
    const heads = await listHeads(repoUrl, [defaultBranch, branch]);
    const tip = heads.get(branch);
    const base = heads.get(defaultBranch);
    if (!tip) {
      return {
        state: 'closed',
        detail: `branch ${branch} of ${repoUrl} no longer exists`,
      };
    }
    if (!base) {
      return {
        state: 'open',
        detail: `${repoUrl} has no default branch ${defaultBranch}`,
      };
    }
    if (tip === base) {
      return { state: 'merged', detail: `${defaultBranch} is at ${branch}` };
    }
    const merged = await withTempRepository(async dir => {
      await git(
        dir,
        'fetch',
        '--quiet',
        '--no-tags',
        '--filter=blob:none',
        repoUrl,
        `+refs/heads/${defaultBranch}:refs/heads/base`,
        `+refs/heads/${branch}:refs/heads/upgrade`,
      );
      try {
        await git(dir, 'merge-base', '--is-ancestor', tip, base);
        return true;
      } catch (error) {
        if ((error as { code?: unknown }).code === 1) {
          return false;
        }
        throw error;
      }
    });
    return merged
      ? {
          state: 'merged',
          detail: `${branch} was merged into ${defaultBranch}`,
        }
      : {
          state: 'open',
          detail: `${branch} is not merged into ${defaultBranch} yet`,
        };
  }
}

async function listHeads(
  repoUrl: string,
  branches: string[],
): Promise<Map<string, string>> {
  const output = await git(
    undefined,
    'ls-remote',
    '--heads',
    repoUrl,
    ...branches.map(b => `refs/heads/${b}`),
  );
  const heads = new Map<string, string>();
  for (const line of output.split('\n').filter(Boolean)) {
    const [sha, ref] = line.split('\t');
    heads.set(ref.replace(/^refs\/heads\//, ''), sha);
  }
  return heads;
}

async function withTempRepository<T>(
  fn: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provisionhub-merge-'));
  try {
    await git(dir, 'init', '--quiet', '--bare');
    return await fn(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function git(cwd: string | undefined, ...args: string[]) {
  const { stdout } = await run('git', args, {
    cwd,
    // Never wait for a password prompt; fail and say so.
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim();
}
