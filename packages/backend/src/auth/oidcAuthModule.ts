import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  oidcAuthenticator,
  oidcSignInResolvers,
} from '@backstage/plugin-auth-backend-module-oidc-provider';
import {
  authProvidersExtensionPoint,
  createOAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { createCatalogUserWithProviderGroups } from './catalogUserWithProviderGroups';

/**
 * The `oidc` sign-in provider (Backstage's OIDC authenticator) with one more sign-in resolver,
 * `catalogUserWithProviderGroups`. It replaces `@backstage/plugin-auth-backend-module-oidc-provider`
 * in the backend: both register the provider id `oidc`.
 */
export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'oidc-provider-with-groups',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ providers, logger }) {
        providers.registerProvider({
          providerId: 'oidc',
          factory: createOAuthProviderFactory({
            authenticator: oidcAuthenticator,
            signInResolverFactories: {
              ...oidcSignInResolvers,
              catalogUserWithProviderGroups:
                createCatalogUserWithProviderGroups(logger),
            },
          }),
        });
      },
    });
  },
});
