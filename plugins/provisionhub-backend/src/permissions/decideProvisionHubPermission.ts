import {
  AuthorizeResult,
  PolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import type {
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  adminPermission,
  provisionhubPermissions,
  runCancelPermission,
  runRetryPermission,
} from '@provisionhub/plugin-provisionhub-common';
import {
  createRunConditionalDecision,
  runConditions,
} from './runPermissionRules';

/** @public */
export interface ProvisionHubPolicyOptions {
  /**
   * Groups whose members hold `provisionhub.admin`: they may name any owner, add components to
   * any system, and cancel or retry any run. E.g. `['group:default/platform-team']`.
   */
  adminGroups: string[];
}

const allow: PolicyDecision = { result: AuthorizeResult.ALLOW };
const deny: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * The decisions ProvisionHub recommends for its permissions, for a portal's permission policy:
 * return them for ProvisionHub's permissions and decide everything else yourself, e.g.
 *
 * ```ts
 * async handle(request: PolicyQuery, user?: PolicyQueryUser) {
 *   return (
 *     decideProvisionHubPermission(request, user, { adminGroups: ['group:default/platform-team'] }) ??
 *     this.decideTheRest(request, user)
 *   );
 * }
 * ```
 *
 * - signed-in users may read blueprints and runs, request runs and act on approvals — the
 *   control plane itself refuses self-approval and checks the approver groups of each run;
 * - cancel and retry: the requester, the run's owner (or a member of it), or an admin;
 * - `provisionhub.admin`: members of `adminGroups` only;
 * - nobody without a signed-in user (service callers are decided by the portal).
 *
 * @returns undefined for permissions that are not ProvisionHub's
 * @public
 */
export function decideProvisionHubPermission(
  request: PolicyQuery,
  user: PolicyQueryUser | undefined,
  options: ProvisionHubPolicyOptions,
): PolicyDecision | undefined {
  const { permission } = request;
  if (!provisionhubPermissions.some(p => isPermission(permission, p))) {
    return undefined;
  }
  if (!user) {
    return deny;
  }
  const claims = user.info.ownershipEntityRefs.map(ref =>
    ref.toLocaleLowerCase('en-US'),
  );
  const admin = options.adminGroups.some(group =>
    claims.includes(group.toLocaleLowerCase('en-US')),
  );
  if (isPermission(permission, adminPermission)) {
    return admin ? allow : deny;
  }
  if (
    (isPermission(permission, runCancelPermission) ||
      isPermission(permission, runRetryPermission)) &&
    !admin
  ) {
    return createRunConditionalDecision(permission, {
      anyOf: [
        runConditions.isRequester({
          userEntityRefs: [user.info.userEntityRef],
        }),
        runConditions.isOwner({ claims: user.info.ownershipEntityRefs }),
      ],
    });
  }
  return allow;
}
