import type { JobMessage } from '@provisionhub/plugin-provisionhub-common';
import type { BlueprintRenderContext } from './types';

/**
 * The render context of a job (or of any run-shaped input, e.g. a dry run).
 * @public
 */
export function createRenderContext(input: {
  run: JobMessage['run'];
  blueprint: { name: string; version: string };
  repository: { path: string };
}): BlueprintRenderContext {
  const { run } = input;
  return {
    name: run.name,
    owner: run.owner,
    system: run.system ?? run.name,
    kind: run.kind,
    entityRef: run.entityRef,
    values: run.values,
    blueprint: { name: input.blueprint.name, version: input.blueprint.version },
    repository: { path: input.repository.path },
  };
}
