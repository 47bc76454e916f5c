/**
 * Written on every System and Component that ProvisionHub created: the run that created it.
 * @public
 */
export const ANNOTATION_RUN_ID = 'provisionhub.io/run-id';

/**
 * Written on provisioned entities as `name@version`; on Blueprint entities it is the label that
 * groups the versions of one blueprint.
 * @public
 */
export const ANNOTATION_BLUEPRINT = 'provisionhub.io/blueprint';

/** @public */
export const LABEL_BLUEPRINT = ANNOTATION_BLUEPRINT;

/** @public */
export function formatBlueprintRef(blueprint: {
  name: string;
  version: string;
}) {
  return `${blueprint.name}@${blueprint.version}`;
}

/**
 * Splits `name@version` (the version may be absent).
 * @public
 */
export function parseBlueprintRef(ref: string): {
  name: string;
  version?: string;
} {
  const at = ref.lastIndexOf('@');
  if (at <= 0) {
    return { name: ref };
  }
  return { name: ref.slice(0, at), version: ref.slice(at + 1) };
}

/**
 * Topic on Backstage's events service that carries a provisioned entity as soon as its run
 * succeeds; the catalog module applies it as a delta.
 * @public
 */
export const PROVISIONED_ENTITY_TOPIC = 'provisionhub.entity.provisioned';

/** @public */
export interface ProvisionedEntityEvent {
  entityRef: string;
  /** The complete entity, annotations included. */
  entity: import('@backstage/catalog-model').Entity;
}

/**
 * Topic on Backstage's events service that carries the ref of an entity whose decommission run
 * succeeded; the catalog module removes it as a delta.
 * @public
 */
export const DECOMMISSIONED_ENTITY_TOPIC = 'provisionhub.entity.decommissioned';

/**
 * The payload of {@link DECOMMISSIONED_ENTITY_TOPIC}.
 * @public
 */
export interface DecommissionedEntityEvent {
  /** The entity that left the catalog, e.g. `component:default/payments-api`. */
  entityRef: string;
  /** The decommission run. */
  runId: string;
}
