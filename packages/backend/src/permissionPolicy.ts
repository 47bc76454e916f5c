import { createBackendModule } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { decideProvisionHubPermission } from '@provisionhub/plugin-provisionhub-backend';

/** Members of these groups are ProvisionHub admins: any owner, any system, cancel or retry any run. */
export const PROVISIONHUB_ADMIN_GROUPS = ['group:default/platform-team'];

/** ProvisionHub's recommended decisions for its permissions; everything else is allowed. */
export const portalPolicy: PermissionPolicy = {
  async handle(request, user) {
    return (
      decideProvisionHubPermission(request, user, {
        adminGroups: PROVISIONHUB_ADMIN_GROUPS,
      }) ?? { result: AuthorizeResult.ALLOW }
    );
  },
};

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'portal-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(portalPolicy);
      },
    });
  },
});
