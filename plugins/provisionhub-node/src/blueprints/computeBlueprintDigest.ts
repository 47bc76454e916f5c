import { createHash } from 'node:crypto';
import { BlueprintFile, compareByPath } from './BlueprintFile';

/**
 * The content digest a run pins: `sha256:<hex>` over every file's path, mode and bytes, in path
 * order. Two trees have the same digest exactly when they render to the same files.
 * @public
 */
export function computeBlueprintDigest(
  files: readonly BlueprintFile[],
): string {
  const hash = createHash('sha256');
  const sorted = [...files].sort(compareByPath);
  for (const file of sorted) {
    hash.update(
      `${file.path}\0${file.executable ? 'x' : '-'}\0${file.content.length}\0`,
    );
    hash.update(file.content);
  }
  return `sha256:${hash.digest('hex')}`;
}
