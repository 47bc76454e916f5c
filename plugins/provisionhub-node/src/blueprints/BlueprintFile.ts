/**
 * One file of a blueprint, at its path inside the rendered repository (before rendering).
 * @public
 */
export interface BlueprintFile {
  /** POSIX path, relative, never starting with `/` or containing `..`. */
  path: string;
  content: Buffer;
  executable: boolean;
}

/**
 * Orders files by path, by code unit, the same on every machine and locale.
 * @public
 */
export function compareByPath(
  a: { path: string },
  b: { path: string },
): number {
  if (a.path === b.path) {
    return 0;
  }
  return a.path < b.path ? -1 : 1;
}
