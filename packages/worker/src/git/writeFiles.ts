import fs from 'node:fs/promises';
import path from 'node:path';
import type { RenderedFile } from '@provisionhub/plugin-provisionhub-node';

/** Writes rendered files under `dir`, keeping the executable bit. */
export async function writeFiles(
  dir: string,
  files: readonly RenderedFile[],
): Promise<void> {
  // Only the deepest folders: creating them creates their parents.
  const folders = [
    ...new Set(files.map(f => path.dirname(path.join(dir, f.path)))),
  ];
  const leaves = folders.filter(
    folder => !folders.some(other => other.startsWith(`${folder}${path.sep}`)),
  );
  await Promise.all(
    leaves.map(folder => fs.mkdir(folder, { recursive: true })),
  );
  await Promise.all(
    files.map(f =>
      fs.writeFile(path.join(dir, f.path), f.content, {
        mode: f.executable ? 0o755 : 0o644,
      }),
    ),
  );
}
