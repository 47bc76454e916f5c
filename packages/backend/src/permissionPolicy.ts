import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { decideProvisionHubPermission } from '@provisionhub/plugin-provisionhub-backend';

/** Members of this group are ProvisionHub admins (any owner, any system, cancel any run). */
export const ADMIN_GROUP = 'group:default/platform-team';

/**
 * The dev portal's policy: ProvisionHub's recommended decisions for its permissions; the rest of
 * the portal (catalog, scaffolder, …) is open to every signed-in user. Who may approve a run is
 * decided by the control plane's policy rules (app-config.yaml), not here.
 */
export class DevPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    return (
      decideProvisionHubPermission(request, user, {
        adminGroups: [ADMIN_GROUP],
      }) ?? { result: AuthorizeResult.ALLOW }
    );
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'provisionhub-dev-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new DevPermissionPolicy());
      },
    });
  },
});
