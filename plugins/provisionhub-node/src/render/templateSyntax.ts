/** Whether `text` contains template syntax at all; text without it renders to itself. */
export function hasTemplateSyntax(text: string): boolean {
  return text.includes('${{') || text.includes('{%') || text.includes('{#');
}
