import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A temporary folder removed by the returned function. */
export async function createTempDir(prefix = 'provisionhub-test-'): Promise<{
  dir: string;
  remove(): Promise<void>;
}> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rm(dir, { recursive: true, force: true }) };
}

/** Runs real git and returns its trimmed standard output. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.trim();
}

/** Clones a repository with real git into a new folder and lists its tracked files. */
export async function cloneAndList(
  remote: string,
  into: string,
): Promise<{ dir: string; files: string[] }> {
  await run('git', ['clone', '--quiet', remote, into]);
  const files = (await git(into, 'ls-files'))
    .split('\n')
    .filter(Boolean)
    .sort();
  return { dir: into, files };
}
