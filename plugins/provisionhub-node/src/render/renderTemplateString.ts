import {
  compileTemplate,
  hasTemplateSyntax,
  renderTemplate,
} from './templateEngine';
import type { BlueprintRenderContext } from './types';

/**
 * Renders one string with the blueprint template syntax, e.g. a blueprint step input such as
 * `apps/${{ system }}/${{ name }}`. `label` names it in errors.
 * @public
 */
export function renderTemplateString(
  text: string,
  context: BlueprintRenderContext,
  label: string,
): string {
  if (!hasTemplateSyntax(text)) {
    return text;
  }
  return renderTemplate(compileTemplate(text, label, label), context, label);
}
