import type { Entity } from '@backstage/catalog-model';
import { ANNOTATION_RUN_ID } from '@provisionhub/plugin-provisionhub-common';

/**
 * Whether ProvisionHub created this entity, i.e. it carries the `provisionhub.io/run-id`
 * annotation. Use it with `EntitySwitch` to show the Provisioning tab and card.
 * @public
 */
export function isProvisionHubAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[ANNOTATION_RUN_ID]);
}

/**
 * The entities the Provisioning tab and card are for: provisioned Systems and Components.
 */
export function isProvisionedSystemOrComponent(entity: Entity): boolean {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  return (
    (kind === 'system' || kind === 'component') &&
    isProvisionHubAvailable(entity)
  );
}
