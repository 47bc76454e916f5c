import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { validateCatalogEntity } from '../validateCatalogEntity';

/** An entity ready for the catalog, or the reason it cannot go there. */
export type PreparedEntity =
  | { ok: true; entityRef: string; entity: Entity }
  | { ok: false; description: string; reason: string };

/**
 * Turns an entity the control plane reported into what the provider hands to the catalog: only the
 * fields a provider may set, the location annotations added when the control plane left them out,
 * and checked with the catalog's own validators so a bad entity is reported here, by name.
 *
 * @param controlPlaneUrl - external base URL of the control plane; the API address of the entity
 *   becomes its location.
 */
export async function prepareProvisionedEntity(
  input: unknown,
  controlPlaneUrl: string,
): Promise<PreparedEntity> {
  if (!isObject(input) || !isObject(input.metadata)) {
    return {
      ok: false,
      description: 'an entity',
      reason: 'it is not an object with metadata',
    };
  }
  const { relations: _relations, status: _status, ...rest } = input;
  const {
    uid: _uid,
    etag: _etag,
    ...metadata
  } = input.metadata as Record<string, unknown>;
  const annotations = isObject(metadata.annotations)
    ? { ...metadata.annotations }
    : {};
  const location = `url:${controlPlaneUrl}/${apiPathOf(rest)}`;
  annotations[ANNOTATION_LOCATION] ??= location;
  annotations[ANNOTATION_ORIGIN_LOCATION] ??= annotations[ANNOTATION_LOCATION];
  const entity = {
    ...rest,
    metadata: { ...metadata, annotations },
  } as unknown as Entity;

  const problem = await validateCatalogEntity(entity);
  if (problem) {
    return { ok: false, description: describe(entity), reason: problem };
  }
  return { ok: true, entityRef: stringifyEntityRef(entity), entity };
}

function apiPathOf(entity: Record<string, unknown>): string {
  const name = encodeURIComponent(
    String((entity.metadata as { name?: unknown }).name),
  );
  switch (String(entity.kind).toLocaleLowerCase('en-US')) {
    case 'system':
      return `systems/${name}`;
    case 'component':
      return `components/${name}`;
    default:
      return 'catalog/entities';
  }
}

function describe(entity: Entity): string {
  try {
    return stringifyEntityRef(entity);
  } catch {
    return `entity '${String(entity.metadata?.name)}'`;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
