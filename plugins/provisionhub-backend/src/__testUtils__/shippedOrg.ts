import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
} from '@backstage/plugin-permission-common';
import { adminPermission } from '@provisionhub/plugin-provisionhub-common';
import { shippedCatalogEntities } from '@provisionhub/test-utils';

/** Sign-in info from the shipped organisation: each user's own ref and their groups. */
export const userInfoFromShippedOrg = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const userEntityRef = credentials.principal.userEntityRef as string;
      const user = shippedCatalogEntities().find(
        e =>
          e.kind === 'User' &&
          `user:default/${e.metadata.name}` === userEntityRef,
      );
      const groups = (user?.spec?.memberOf as string[] | undefined) ?? [];
      return {
        userEntityRef,
        ownershipEntityRefs: [
          userEntityRef,
          ...groups.map(g => `group:default/${g}`),
        ],
      };
    },
  }),
});

/**
 * Permissions where only `userRefs` hold `provisionhub.admin` and everything else is allowed to
 * everyone, so the control plane's own rules (ownership, approvers) are what decides.
 */
export function adminsAre(...userRefs: string[]) {
  const decide = (request: any, options?: any) => ({
    result:
      !isPermission(request.permission, adminPermission) ||
      userRefs.includes(options?.credentials?.principal?.userEntityRef)
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
  });
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => ({
      async authorize(requests: any[], options?: any) {
        return requests.map(r => decide(r, options));
      },
      async authorizeConditional(requests: any[], options?: any) {
        return requests.map(r => decide(r, options));
      },
    }),
  });
}
