import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  RUN_RESOURCE_TYPE,
  type Run,
} from '@provisionhub/plugin-provisionhub-common';
import type { RunAccessFilter } from '../database/RunStore';

/**
 * The run resource of the permission framework: rules apply to stored runs and translate to
 * store filters, so conditional decisions work for single runs and for `GET /runs`.
 * @public
 */
export const runPermissionResourceRef = createPermissionResourceRef<
  Run,
  RunAccessFilter
>().with({ pluginId: 'provisionhub', resourceType: RUN_RESOURCE_TYPE });

const isRequester = createPermissionRule<
  typeof runPermissionResourceRef,
  { userEntityRefs: string[] }
>({
  name: 'IS_RUN_REQUESTER',
  description:
    'Allow runs requested by one of the given users (usually the signed-in user)',
  resourceRef: runPermissionResourceRef,
  apply: (run, { userEntityRefs }) => userEntityRefs.includes(run.requestedBy),
  toQuery: ({ userEntityRefs }) => ({ requestedBy: userEntityRefs }),
});

const isOwner = createPermissionRule<
  typeof runPermissionResourceRef,
  { claims: string[] }
>({
  name: 'IS_RUN_OWNER',
  description:
    'Allow runs whose system or component will be owned by one of the given entities (usually the user and their groups)',
  resourceRef: runPermissionResourceRef,
  apply: (run, { claims }) => claims.includes(run.owner),
  toQuery: ({ claims }) => ({ owner: claims }),
});

/**
 * Permission rules of ProvisionHub runs.
 * @public
 */
export const runPermissionRules = { isRequester, isOwner };

const exported = createConditionExports({
  resourceRef: runPermissionResourceRef,
  rules: runPermissionRules,
});

/**
 * Condition factories for permission policies, e.g.
 * `createRunConditionalDecision(permission, runConditions.isRequester({ userEntityRefs: [user] }))`.
 * @public
 */
export const runConditions = exported.conditions;

/** @public */
export const createRunConditionalDecision = exported.createConditionalDecision;
