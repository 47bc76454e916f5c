import { mockCredentials } from '@backstage/backend-test-utils';
import type {
  HttpAuthService,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  adminPermission,
  runCancelPermission,
  runCreatePermission,
  runReadPermission,
} from '@provisionhub/plugin-provisionhub-common';
import { AnyRequest, RouteAuthorizer } from './RouteAuthorizer';

function authorizerWith(decide: (permission: string) => AuthorizeResult) {
  const authorize = jest.fn(async (requests: Array<{ permission: any }>) =>
    requests.map(r => ({ result: decide(r.permission.name) })),
  );
  const authorizer = new RouteAuthorizer({
    httpAuth: {
      credentials: async () => mockCredentials.user('user:default/alice'),
    } as unknown as HttpAuthService,
    permissions: {
      authorize,
      authorizeConditional: async (requests: Array<{ permission: any }>) =>
        authorize(requests),
    } as unknown as PermissionsService,
    permissionsRegistry: {
      getPermissionRuleset: () => ({ getRuleByName: jest.fn() }),
    } as unknown as PermissionsRegistryService,
  });
  return { authorizer, authorize };
}

const requestWith = (token: string) =>
  ({ headers: { authorization: `Bearer ${token}` } } as AnyRequest);

describe('RouteAuthorizer', () => {
  it('asks for a permission and provisionhub.admin in one request, and reuses the answer for the same token', async () => {
    const { authorizer, authorize } = authorizerWith(name =>
      name === adminPermission.name
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    );
    const first = await authorizer.authorizeWithAdmin(
      requestWith('a'),
      runCreatePermission,
    );
    expect(first.isAdmin).toBe(false);
    expect(authorize).toHaveBeenCalledTimes(1);
    expect(authorize.mock.calls[0][0]).toEqual([
      { permission: runCreatePermission },
      { permission: adminPermission },
    ]);

    await authorizer.authorizeWithAdmin(requestWith('a'), runCreatePermission);
    await authorizer.authorize(requestWith('a'), runCreatePermission);
    expect(authorize).toHaveBeenCalledTimes(2);
    await authorizer.authorizeWithAdmin(requestWith('b'), runCreatePermission);
    expect(authorize).toHaveBeenCalledTimes(3);
  });

  it('reuses the decision on the run list for the same token', async () => {
    const { authorizer, authorize } = authorizerWith(
      () => AuthorizeResult.ALLOW,
    );
    await authorizer.authorizeRunList(requestWith('a'), runReadPermission);
    await authorizer.authorizeRunList(requestWith('a'), runReadPermission);
    expect(authorize).toHaveBeenCalledTimes(1);
    await authorizer.authorizeRunList(requestWith('b'), runReadPermission);
    expect(authorize).toHaveBeenCalledTimes(2);
  });

  it('asks about each run only when a decision depends on the run', async () => {
    const credentials = mockCredentials.user('user:default/alice');
    const decide = (conditional: boolean) => {
      const authorizeConditional = jest.fn(async (requests: unknown[]) =>
        requests.map(() =>
          conditional
            ? {
                result: AuthorizeResult.CONDITIONAL,
                pluginId: 'provisionhub',
                resourceType: 'provisionhub-run',
                conditions: {
                  rule: 'IS_REQUESTER',
                  resourceType: 'provisionhub-run',
                  params: {},
                },
              }
            : { result: AuthorizeResult.ALLOW },
        ),
      );
      const authorize = jest.fn(async (requests: unknown[]) =>
        requests.map(() => ({ result: AuthorizeResult.DENY })),
      );
      const authorizer = new RouteAuthorizer({
        httpAuth: {
          credentials: async () => credentials,
        } as unknown as HttpAuthService,
        permissions: {
          authorize,
          authorizeConditional,
        } as unknown as PermissionsService,
        permissionsRegistry: {
          getPermissionRuleset: () => ({ getRuleByName: jest.fn() }),
        } as unknown as PermissionsRegistryService,
      });
      return { authorizer, authorize, authorizeConditional };
    };
    const permissions = [runReadPermission, runCancelPermission];

    const general = decide(false);
    for (const run of ['run-1', 'run-2', 'run-3']) {
      expect(
        await general.authorizer.allowedOnRun(
          requestWith('a'),
          credentials,
          permissions,
          run,
        ),
      ).toEqual([true, true]);
    }
    expect(general.authorizeConditional).toHaveBeenCalledTimes(1);
    expect(general.authorize).not.toHaveBeenCalled();

    const conditional = decide(true);
    expect(
      await conditional.authorizer.allowedOnRun(
        requestWith('a'),
        credentials,
        permissions,
        'run-1',
      ),
    ).toEqual([false, false]);
    expect(conditional.authorize).toHaveBeenCalledWith(
      [
        { permission: runReadPermission, resourceRef: 'run-1' },
        { permission: runCancelPermission, resourceRef: 'run-1' },
      ],
      { credentials },
    );
  });

  it('names the permission the caller lacks, and tells an admin apart', async () => {
    const denied = authorizerWith(() => AuthorizeResult.DENY).authorizer;
    await expect(
      denied.authorizeWithAdmin(requestWith('a'), runCreatePermission),
    ).rejects.toThrow(/you lack the permission provisionhub.run.create/);

    const admin = authorizerWith(() => AuthorizeResult.ALLOW).authorizer;
    expect(
      (await admin.authorizeWithAdmin(requestWith('a'), runCreatePermission))
        .isAdmin,
    ).toBe(true);
  });
});
