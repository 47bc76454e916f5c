import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  adminPermission,
  runApprovePermission,
  runCancelPermission,
  runCreatePermission,
} from '@provisionhub/plugin-provisionhub-common';
import { PROVISIONHUB_ADMIN_GROUPS, portalPolicy } from './permissionPolicy';

const [ADMIN_GROUP] = PROVISIONHUB_ADMIN_GROUPS;

function user(ownershipEntityRefs: string[]) {
  return {
    identity: {
      type: 'user' as const,
      userEntityRef: 'user:default/alice',
      ownershipEntityRefs,
    },
    token: 'token',
    credentials: {} as any,
    info: { userEntityRef: 'user:default/alice', ownershipEntityRefs },
  };
}

describe("the dev portal's permission policy (docs/install.md)", () => {
  const policy = portalPolicy;

  it('makes only the platform team ProvisionHub admins', async () => {
    await expect(
      policy.handle({ permission: adminPermission }, user([ADMIN_GROUP])),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle(
        { permission: adminPermission },
        user(['group:default/web-team']),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('lets others cancel only runs they requested or own', async () => {
    await expect(
      policy.handle(
        { permission: runCancelPermission },
        user(['user:default/alice', 'group:default/web-team']),
      ),
    ).resolves.toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'provisionhub',
      conditions: {
        anyOf: [
          {
            rule: 'IS_RUN_REQUESTER',
            params: { userEntityRefs: ['user:default/alice'] },
          },
          {
            rule: 'IS_RUN_OWNER',
            params: {
              claims: ['user:default/alice', 'group:default/web-team'],
            },
          },
        ],
      },
    });
  });

  it('leaves approvals to the control plane and everything else open', async () => {
    for (const permission of [runApprovePermission, runCreatePermission]) {
      await expect(policy.handle({ permission }, user([]))).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });
});
