import { createHash } from 'node:crypto';
import { renderTemplates } from './renderTemplates';
import { hasTemplateSyntax } from './templateSyntax';
import type { BlueprintRenderContext, RenderLimits } from './types';

/**
 * Renders one string with the blueprint template syntax in the render sandbox, e.g. a blueprint
 * step input such as `apps/${{ system }}/${{ name }}`. `label` names it in errors.
 * @public
 */
export async function renderTemplateString(
  text: string,
  context: BlueprintRenderContext,
  label: string,
  limits?: Partial<RenderLimits>,
): Promise<string> {
  if (!hasTemplateSyntax(text)) {
    return text;
  }
  const digest = `string:${createHash('sha256').update(text).digest('hex')}`;
  const [output] = await renderTemplates(
    digest,
    [{ source: text, label, sourcePath: label }],
    context,
    limits,
  );
  return output;
}
