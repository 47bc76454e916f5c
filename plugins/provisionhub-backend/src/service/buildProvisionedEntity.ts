import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import {
  ANNOTATION_BLUEPRINT,
  ANNOTATION_RUN_ID,
  formatBlueprintRef,
} from '@provisionhub/plugin-provisionhub-common';
import type { RunRecord } from '../database/RunStore';

/**
 * The catalog entity of a succeeded run: the descriptor the worker read from the rendered
 * repository, with the facts the control plane owns written over it (name, owner, system,
 * lifecycle) and the ProvisionHub and location annotations added.
 * @internal
 */
export function buildProvisionedEntity(
  run: RunRecord,
  outputs: { repoUrl: string; entity: JsonObject },
): Entity {
  const rendered = isObject(outputs.entity) ? outputs.entity : {};
  const metadata = isObject(rendered.metadata) ? rendered.metadata : {};
  const spec = isObject(rendered.spec) ? rendered.spec : {};
  const annotations = isObject(metadata.annotations)
    ? metadata.annotations
    : {};
  const location = /^https?:\/\//.test(outputs.repoUrl)
    ? `url:${outputs.repoUrl}`
    : `provisionhub:run/${run.id}`;
  const blueprint = run.blueprintJob;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: run.kind === 'system' ? 'System' : 'Component',
    metadata: {
      ...metadata,
      name: run.name,
      namespace: 'default',
      annotations: {
        ...stringValues(annotations),
        [ANNOTATION_RUN_ID]: run.id,
        [ANNOTATION_BLUEPRINT]: formatBlueprintRef(run.blueprint),
        [ANNOTATION_SOURCE_LOCATION]: `url:${outputs.repoUrl.replace(
          /\/?$/,
          '/',
        )}`,
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
      },
    },
    spec: {
      ...spec,
      owner: run.owner,
      ...(run.kind === 'component'
        ? {
            system: run.system,
            // The descriptor's own type (service, website, …) is the catalog's vocabulary; the
            // blueprint type (backend, frontend, …) only fills in when the descriptor has none.
            type:
              typeof spec.type === 'string'
                ? spec.type
                : blueprint?.type ?? 'service',
            lifecycle: blueprint?.lifecycle ?? 'experimental',
          }
        : {}),
    },
  };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringValues(object: JsonObject): Record<string, string> {
  return Object.fromEntries(
    Object.entries(object).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  );
}
