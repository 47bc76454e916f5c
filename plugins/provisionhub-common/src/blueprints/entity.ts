import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import type { BlueprintStepSpec } from '../messages/types';

/** @public */
export const BLUEPRINT_API_VERSION = 'provisionhub.io/v1alpha1';

/** @public */
export const BLUEPRINT_KIND = 'Blueprint';

/**
 * A folder of template files, relative to the entity file, and where it lands in the repository.
 * @public
 */
export type BlueprintFileSource = {
  from: string;
  to?: string;
};

/**
 * A versioned blueprint, one catalog entity per version. The versions of one blueprint share the
 * `provisionhub.io/blueprint` label; the entity name is conventionally `<blueprint>-v<version>`.
 * @public
 */
export interface BlueprintEntityV1alpha1 extends Entity {
  apiVersion: typeof BLUEPRINT_API_VERSION;
  kind: typeof BLUEPRINT_KIND;
  spec: {
    /** `system`, or the component type it creates: `backend`, `frontend`, `database`, `async`, … */
    type: string;
    /** Semantic version of this blueprint version. */
    version: string;
    /** Entity ref of the team that maintains the blueprint. */
    owner: string;
    /** Lifecycle of the entities it creates; `experimental` when absent. */
    lifecycle?: string;
    /** JSON Schema of the values; `ui:*` keys are form hints. */
    parameters: JsonObject;
    /** The template files: one folder, or several folders mounted at different places. */
    files: string | BlueprintFileSource[];
    /** Extra steps after the push, e.g. `gitops`. */
    steps?: BlueprintStepSpec[];
    /**
     * What this version changes compared with the one before (Markdown); upgrade merge requests
     * and the component page show it.
     */
    changelog?: string;
    outputs?: {
      /** Path of the catalog descriptor in the rendered repository; `catalog-info.yaml` by default. */
      catalogInfoPath?: string;
      links?: Array<{ title: string; url: string }>;
    };
  };
}

/** @public */
export function isBlueprintEntity(
  entity: Entity,
): entity is BlueprintEntityV1alpha1 {
  return (
    entity.apiVersion === BLUEPRINT_API_VERSION &&
    entity.kind === BLUEPRINT_KIND
  );
}

/** @public */
export function normalizeFileSources(
  files: BlueprintEntityV1alpha1['spec']['files'],
): Required<BlueprintFileSource>[] {
  const list = typeof files === 'string' ? [{ from: files }] : files;
  return list.map(f => ({
    from: f.from,
    to: (f.to ?? '').replace(/^\.?\/+|\/+$/g, ''),
  }));
}

/** @public */
export const DEFAULT_CATALOG_INFO_PATH = 'catalog-info.yaml';
