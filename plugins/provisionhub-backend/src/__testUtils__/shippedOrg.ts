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

/** Everyone may do everything except `provisionhub.admin`, so the ownership rules apply. */
export const nobodyIsAdmin = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => ({
    async authorize(requests: any[]) {
      return requests.map(r => ({
        result: isPermission(r.permission, adminPermission)
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      }));
    },
    async authorizeConditional(requests: any[]) {
      return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
    },
  }),
});
