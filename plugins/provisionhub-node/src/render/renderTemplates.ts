import { BlueprintRenderError } from './BlueprintRenderError';
import {
  DEFAULT_RENDER_LIMITS,
  SandboxRenderFailure,
  renderSandbox,
} from './RenderSandbox';
import type { PlannedTemplate } from './renderPlan';
import { toRenderError } from './templateErrors';
import type { BlueprintRenderContext, RenderLimits } from './types';

/**
 * Renders templates (all of one digest) in the render sandbox and turns its failures into
 * `BlueprintRenderError`s that name the file and, when known, the line.
 */
export async function renderTemplates(
  digest: string,
  templates: readonly PlannedTemplate[],
  context: BlueprintRenderContext,
  limits: Partial<RenderLimits> = {},
): Promise<string[]> {
  if (templates.length === 0) {
    return [];
  }
  try {
    return await renderSandbox().render({
      digest,
      sources: () => templates.map(t => t.source),
      indices: templates.map((_, i) => i),
      context,
      limits: { ...DEFAULT_RENDER_LIMITS, ...limits },
    });
  } catch (error) {
    if (!(error instanceof SandboxRenderFailure)) {
      throw error;
    }
    const template =
      error.index === undefined ? undefined : templates[error.index];
    if (!template) {
      throw new BlueprintRenderError(`blueprint: ${error.message}`, '');
    }
    if (error.fromTemplate) {
      throw toRenderError(error, { ...template, context });
    }
    throw new BlueprintRenderError(
      `${template.label}: ${error.message}`,
      template.sourcePath,
    );
  }
}
