/**
 * Entity refs compare case-insensitively in Backstage; policy compares them in lowercase.
 * @internal
 */
export function lowerRef(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}
