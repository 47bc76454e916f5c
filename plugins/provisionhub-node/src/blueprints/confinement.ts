import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Whether a resolved location (`file:/abs/path` or a URL) is `root` or inside it, by whole path
 * segments (`/a/bc` is not inside `/a/b`).
 * @public
 */
export function isWithinLocation(location: string, root: string): boolean {
  if (location.startsWith('file:') !== root.startsWith('file:')) {
    return false;
  }
  if (location.startsWith('file:')) {
    const relative = path.relative(
      path.resolve(root.slice('file:'.length)),
      path.resolve(location.slice('file:'.length)),
    );
    return (
      relative === '' ||
      (!relative.startsWith('..') && !path.isAbsolute(relative))
    );
  }
  const base = root.endsWith('/') ? root : `${root}/`;
  return location === root || location.startsWith(base);
}

/**
 * Refuses a `file:` folder whose real path (symbolic links followed) leaves every `file:` root,
 * e.g. `skeleton` being a link to `/etc`. URL roots are not checked here.
 */
export async function checkRealFolderWithin(
  folder: string,
  roots: readonly string[],
): Promise<void> {
  const real = await fs.realpath(folder).catch(() => folder);
  const fileRoots = roots.filter(r => r.startsWith('file:'));
  for (const root of fileRoots) {
    const realRoot = await fs
      .realpath(root.slice('file:'.length))
      .catch(() => root.slice('file:'.length));
    if (isWithinLocation(`file:${real}`, `file:${realRoot}`)) {
      return;
    }
  }
  if (fileRoots.length) {
    throw new Error(
      `blueprint folder ${folder} leads to ${real} through a symbolic link, outside the blueprint's folder and the shared folders`,
    );
  }
}
