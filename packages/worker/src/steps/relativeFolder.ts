import { PermanentError } from '../errors';

/**
 * A folder named by a step's input, checked: relative, and never climbing out of its repository
 * or into `.git`. Leading `./` and trailing `/` are dropped.
 */
export function relativeFolder(
  label: string,
  key: string,
  value: string,
): string {
  const clean = value.trim().replace(/^\.?\/+|\/+$/g, '');
  const segments = clean.split('/');
  if (
    !clean ||
    segments.some(s => s === '' || s === '.' || s === '..' || s === '.git')
  ) {
    throw new PermanentError(
      `${label}: input.${key} '${value}' must be a relative folder without '.', '..' or '.git' segments`,
    );
  }
  return clean;
}
