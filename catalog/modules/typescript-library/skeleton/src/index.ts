/** The library's name, as its package knows it. */
export const name = '${{ name }}';

/** Greets someone; replace with what the library is for. */
export function greet(who: string): string {
  return `Hello, ${who}, from ${name}`;
}
