import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The resource type of runs, for conditional permission rules.
 * @public
 */
export const RUN_RESOURCE_TYPE = 'provisionhub-run';

/** @public */
export const runCreatePermission = createPermission({
  name: 'provisionhub.run.create',
  attributes: { action: 'create' },
});

/** @public */
export const runReadPermission = createPermission({
  name: 'provisionhub.run.read',
  attributes: { action: 'read' },
  resourceType: RUN_RESOURCE_TYPE,
});

/** @public */
export const runApprovePermission = createPermission({
  name: 'provisionhub.run.approve',
  attributes: { action: 'update' },
  resourceType: RUN_RESOURCE_TYPE,
});

/** @public */
export const runCancelPermission = createPermission({
  name: 'provisionhub.run.cancel',
  attributes: { action: 'update' },
  resourceType: RUN_RESOURCE_TYPE,
});

/** @public */
export const runRetryPermission = createPermission({
  name: 'provisionhub.run.retry',
  attributes: { action: 'update' },
  resourceType: RUN_RESOURCE_TYPE,
});

/** @public */
export const blueprintReadPermission = createPermission({
  name: 'provisionhub.blueprint.read',
  attributes: { action: 'read' },
});

/**
 * Lets a requester name any owner and add components to any system (the ownership checks of
 * the control plane do not apply). Give it to the platform team, not to everyone.
 * @public
 */
export const adminPermission = createPermission({
  name: 'provisionhub.admin',
  attributes: {},
});

/** @public */
export const provisionhubPermissions = [
  runCreatePermission,
  runReadPermission,
  runApprovePermission,
  runCancelPermission,
  runRetryPermission,
  blueprintReadPermission,
  adminPermission,
];
