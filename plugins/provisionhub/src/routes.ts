import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/**
 * The ProvisionHub home page, mounted at `/provisionhub` by convention.
 * @public
 */
export const rootRouteRef = createRouteRef({ id: 'provisionhub' });

/**
 * One run; the control plane's notifications link to `/provisionhub/runs/:runId`.
 * @public
 */
export const runRouteRef = createSubRouteRef({
  id: 'provisionhub/run',
  parent: rootRouteRef,
  path: '/runs/:runId',
});

/** @public */
export const systemRouteRef = createSubRouteRef({
  id: 'provisionhub/system',
  parent: rootRouteRef,
  path: '/systems/:name',
});

/** @public */
export const componentRouteRef = createSubRouteRef({
  id: 'provisionhub/component',
  parent: rootRouteRef,
  path: '/components/:name',
});

/**
 * The create wizard for a new system.
 * @public
 */
export const createSystemRouteRef = createSubRouteRef({
  id: 'provisionhub/create-system',
  parent: rootRouteRef,
  path: '/create',
});

/**
 * The create wizard for a new component of a system.
 * @public
 */
export const createComponentRouteRef = createSubRouteRef({
  id: 'provisionhub/create-component',
  parent: rootRouteRef,
  path: '/systems/:name/create',
});

/**
 * The dead-letter console (needs `provisionhub.admin`).
 * @public
 */
export const deadLettersRouteRef = createSubRouteRef({
  id: 'provisionhub/dead-letters',
  parent: rootRouteRef,
  path: '/dead-letters',
});

/**
 * The progress of a bulk upgrade (`POST /blueprints/{name}/upgrades`).
 * @public
 */
export const upgradeCampaignRouteRef = createSubRouteRef({
  id: 'provisionhub/upgrade-campaign',
  parent: rootRouteRef,
  path: '/blueprints/:name/upgrades/:id',
});
