import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  adminPermission,
  runCreatePermission,
} from '@provisionhub/plugin-provisionhub-common';
import type { ProvisionHubActionsOptions } from './types';

/**
 * Checks, with the initiator's own credentials, that they may request runs; and whether they
 * hold `provisionhub.admin` (the control plane's ownership checks then do not apply).
 *
 * @throws NotAllowedError when the initiator lacks `provisionhub.run.create`
 */
export async function authorizeInitiator(
  permissions: ProvisionHubActionsOptions['permissions'],
  credentials: BackstageCredentials,
  requester: string,
): Promise<{ isAdmin: boolean }> {
  const [create, admin] = await permissions.authorize(
    [{ permission: runCreatePermission }, { permission: adminPermission }],
    { credentials },
  );
  if (create.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `${requester} lacks the permission ${runCreatePermission.name}, so ProvisionHub cannot provision anything for this task; ask your portal's administrators for it`,
    );
  }
  return { isAdmin: admin.result === AuthorizeResult.ALLOW };
}
