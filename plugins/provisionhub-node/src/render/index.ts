export { renderBlueprint } from './renderBlueprint';
export { createRenderContext } from './createRenderContext';
export { renderTemplateString } from './renderTemplateString';
export { BlueprintRenderError } from './BlueprintRenderError';
export { BlueprintDigestMismatchError } from './BlueprintDigestMismatchError';
export { DEFAULT_RENDER_LIMITS } from './RenderSandbox';
export type {
  BlueprintRenderContext,
  RenderBlueprintOptions,
  RenderedFile,
  RenderLimits,
} from './types';
