import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  runApprovePermission,
  runCreatePermission,
} from '@provisionhub/plugin-provisionhub-common';
import { APPROVER_GROUP, DevPermissionPolicy } from './permissionPolicy';

function user(ownershipEntityRefs: string[]) {
  return {
    identity: { type: 'user' as const, userEntityRef: 'user:default/alice', ownershipEntityRefs },
    token: 'token',
    credentials: {} as any,
    info: { userEntityRef: 'user:default/alice', ownershipEntityRefs },
  };
}

describe('DevPermissionPolicy', () => {
  const policy = new DevPermissionPolicy();

  it('lets only the platform team approve runs', async () => {
    await expect(
      policy.handle({ permission: runApprovePermission }, user([APPROVER_GROUP])),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: runApprovePermission }, user(['group:default/web-team'])),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('allows everything else', async () => {
    await expect(
      policy.handle({ permission: runCreatePermission }, user([])),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });
});
