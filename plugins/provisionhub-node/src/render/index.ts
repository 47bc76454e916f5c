export { renderBlueprint } from './renderBlueprint';
export { createRenderContext } from './createRenderContext';
export { renderTemplateString } from './renderTemplateString';
export { BlueprintRenderError } from './BlueprintRenderError';
export type {
  BlueprintRenderContext,
  RenderBlueprintOptions,
  RenderedFile,
} from './types';
