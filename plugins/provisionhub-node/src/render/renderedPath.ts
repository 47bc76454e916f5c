import { BlueprintRenderError } from './BlueprintRenderError';

/**
 * Checks a rendered file path: it must stay inside the repository and name a file a Git
 * repository can hold. Throws an error naming the blueprint file it came from.
 */
export function checkRenderedPath(
  rendered: string,
  sourcePath: string,
): string {
  const fail = (why: string) =>
    new BlueprintRenderError(
      `file name of '${sourcePath}' renders to ${JSON.stringify(
        rendered,
      )}, which ${why}`,
      sourcePath,
    );
  if (rendered.trim() === '') {
    throw fail('is empty');
  }
  if (rendered.includes('\0')) {
    throw fail('contains a NUL character');
  }
  if (
    rendered.startsWith('/') ||
    rendered.includes('\\') ||
    /^[a-zA-Z]:/.test(rendered)
  ) {
    throw fail(
      'is absolute or uses backslashes; rendered paths must be relative POSIX paths',
    );
  }
  const segments = rendered.split('/');
  if (segments.includes('..')) {
    throw fail("contains '..' and would leave the repository");
  }
  if (segments.some(s => s === '' || s === '.')) {
    throw fail('contains an empty folder name');
  }
  if (segments.some(s => s.toLowerCase() === '.git')) {
    throw fail("writes into '.git', which belongs to Git");
  }
  return rendered;
}

/** Refuses two files at one path, and a file where another file needs a folder. */
export function checkNoCollisions(
  files: ReadonlyArray<{ path: string; sourcePath: string }>,
) {
  const byPath = new Map<string, string>();
  for (const file of files) {
    const other = byPath.get(file.path);
    if (other !== undefined) {
      throw new BlueprintRenderError(
        `'${other}' and '${file.sourcePath}' both render to '${file.path}'`,
        file.sourcePath,
      );
    }
    byPath.set(file.path, file.sourcePath);
  }
  for (const file of files) {
    const segments = file.path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const folder = segments.slice(0, i).join('/');
      const clash = byPath.get(folder);
      if (clash !== undefined) {
        throw new BlueprintRenderError(
          `'${clash}' renders to the file '${folder}', but '${file.sourcePath}' needs a folder of that name`,
          file.sourcePath,
        );
      }
    }
  }
}
