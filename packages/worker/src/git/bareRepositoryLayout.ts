import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { git } from './runGit';

/** A folder's entries, parents before children; folders have no content. */
export type BareRepositoryLayout = ReadonlyArray<{
  path: string;
  content?: Buffer;
}>;

/**
 * What `git init --bare --template=` writes for a new repository whose HEAD names `branch`,
 * read back from one real `git init`. Writing it again for each repository
 * ({@link writeBareRepository}) costs a few file writes instead of a git process.
 */
export async function readBareRepositoryLayout(
  branch: string,
): Promise<BareRepositoryLayout> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provisionhub-bare-'));
  try {
    const repository = path.join(dir, 'layout.git');
    await git([
      'init',
      '--bare',
      '--quiet',
      '--template=',
      `--initial-branch=${branch}`,
      repository,
    ]);
    return await readTree(repository, '');
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function readTree(
  root: string,
  relative: string,
): Promise<Array<{ path: string; content?: Buffer }>> {
  const entries = await fs.readdir(path.join(root, relative), {
    withFileTypes: true,
  });
  const layout: Array<{ path: string; content?: Buffer }> = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) {
      layout.push({ path: child }, ...(await readTree(root, child)));
    } else {
      layout.push({
        path: child,
        content: await fs.readFile(path.join(root, child)),
      });
    }
  }
  return layout;
}

/** Writes `layout` into the new folder `dir` (its parent must exist). */
export async function writeBareRepository(
  dir: string,
  layout: BareRepositoryLayout,
) {
  await fs.mkdir(dir);
  for (const entry of layout) {
    const target = path.join(dir, entry.path);
    if (entry.content !== undefined) {
      await fs.writeFile(target, entry.content);
    } else {
      await fs.mkdir(target);
    }
  }
}
